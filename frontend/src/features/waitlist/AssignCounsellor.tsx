// "Tildel faglig veileder": assigning starts the 30-day clock; the deletion date is shown at once.
import { Alert, Button, Heading, SelectOption } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { WaitlistEntryRead } from '../../api/types';
import { ChoiceField, text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { formatDate } from '../clients/formatDate';
import { useCounsellors } from '../register-client/queries';
import { useAssignWaitlistCounsellor } from './queries';

const fields = ['counsellor_id'] as const;

export function AssignCounsellor({ entry }: { entry: WaitlistEntryRead }) {
  const { t, i18n } = useTranslation();
  const counsellors = useCounsellors();
  const assign = useAssignWaitlistCounsellor(entry.id);
  const form = useValidatedForm(fields, {}, fields);
  const [assigned, setAssigned] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setAssigned(false);
    if (!form.validateAll(element)) return;
    const counsellorId = text(new FormData(element), 'counsellor_id') ?? '';
    assign.mutate(counsellorId, {
      onSuccess: () => setAssigned(true),
      onError: (error) => form.showApiError(element, error),
    });
  }

  const current = counsellors.data?.find((c) => c.id === entry.assigned_counsellor_id)?.display_name;
  return (
    <section className="stack" aria-labelledby="assign-heading">
      <Heading level={2} data-size="md" id="assign-heading">
        {t('assign.heading')}
      </Heading>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="assign-heading">
        <ChoiceField
          label={t('register.counsellor')}
          name="counsellor_id"
          emptyLabel={t('assign.choose')}
          error={form.errors.counsellor_id}
          description={current ? t('assign.current', { name: current }) : t('assign.help')}
        >
          {counsellors.data?.map((counsellor) => (
            <SelectOption key={counsellor.id} value={counsellor.id}>
              {counsellor.display_name}
            </SelectOption>
          ))}
        </ChoiceField>
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" disabled={assign.isPending}>
            {t('assign.submit')}
          </Button>
        </div>
      </form>
      <div role="status">
        {assigned && entry.retention_due_date && (
          <Alert data-color="success">
            {t('assign.success')}{' '}
            <time dateTime={entry.retention_due_date}>{formatDate(entry.retention_due_date, i18n.language)}</time>
          </Alert>
        )}
      </div>
    </section>
  );
}

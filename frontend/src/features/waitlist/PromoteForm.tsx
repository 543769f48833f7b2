// "Gjør til klient": copies only the fields the applicant agreed to into a client record.
import {
  Button,
  Checkbox,
  Fieldset,
  FieldsetDescription,
  FieldsetLegend,
  Heading,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { PromotedField, WaitlistEntryRead } from '../../api/types';
import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { pastDate } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { navigate } from '../../routing/navigation';
import { usePromoteWaitlistEntry } from './queries';

const promotedFields = ['full_name', 'email', 'phone', 'birth_date', 'gender'] as const satisfies readonly PromotedField[];
const fields = ['agreed_fields', 'intake_date'] as const;
const labelKey = {
  full_name: 'register.fullName',
  email: 'register.email',
  phone: 'register.phone',
  birth_date: 'register.birthDate',
  gender: 'register.gender',
} as const;

export function PromoteForm({ entry }: { entry: WaitlistEntryRead }) {
  const { t } = useTranslation();
  const promote = usePromoteWaitlistEntry(entry.id);
  const form = useValidatedForm(fields, { intake_date: pastDate });
  const given = promotedFields.filter((field) => entry[field] !== null && entry[field] !== '');

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const agreed = promotedFields.filter((field) => data.getAll('agreed_fields').includes(field));
    promote.mutate(
      { agreed_fields: agreed, intake_date: text(data, 'intake_date') },
      {
        onSuccess: (result) => navigate({ name: 'client', id: result.person_id }),
        onError: (error) => form.showApiError(element, error),
      },
    );
  }

  return (
    <section className="stack" aria-labelledby="promote-heading">
      <Heading level={2} data-size="md" id="promote-heading">
        {t('promote.heading')}
      </Heading>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="promote-heading">
        <Fieldset>
          <FieldsetLegend>{t('promote.agreedFields')}</FieldsetLegend>
          <FieldsetDescription>{t('promote.agreedHelp')}</FieldsetDescription>
          {given.map((field) => (
            <Checkbox key={field} name="agreed_fields" value={field} label={t(labelKey[field])} />
          ))}
          {form.errors.agreed_fields && (
            <ValidationMessage>
              {form.errors.agreed_fields}
            </ValidationMessage>
          )}
        </Fieldset>
        <Textfield label={t('promote.intakeDate')} name="intake_date" type="date" error={form.errors.intake_date} />
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" variant="secondary" disabled={promote.isPending}>
            {t('promote.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

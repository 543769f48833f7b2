// Break glass: a record the reader has no need to know opens only with a stated reason, sent in
// the body of a POST and logged for the data protection officer.
import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import type { UseMutationResult } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { PersonRead } from '../../api/types';
import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { breakGlassReason } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';

const fields = ['reason'] as const;

export function BreakGlassForm({ breakGlass }: { breakGlass: UseMutationResult<PersonRead, Error, string> }) {
  const { t } = useTranslation();
  const form = useValidatedForm(fields, { reason: breakGlassReason }, fields);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    if (!form.validateAll(element)) return;
    const reason = text(new FormData(element), 'reason') ?? '';
    breakGlass.mutate(reason, { onError: (error) => form.showApiError(element, error) });
  }

  return (
    <section className="stack" aria-labelledby="break-glass-heading">
      <Alert data-color="warning">
        <Heading level={2} data-size="xs" id="break-glass-heading">
          {t('breakGlass.heading')}
        </Heading>
        <Paragraph>{t('breakGlass.intro')}</Paragraph>
      </Alert>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange}>
        <Textfield
          multiline
          rows={3}
          label={t('breakGlass.reason')}
          description={t('breakGlass.reasonHelp')}
          name="reason"
          error={form.errors.reason}
        />
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" data-color="danger" disabled={breakGlass.isPending}>
            {t('breakGlass.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

// "Vurder og meld": the manager or DPO assesses the risk, records measures and when Datatilsynet
// and the people affected were told; only the fields changed are sent.
import { Alert, Button, Field, Heading, Label, Select, SelectOption, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { useUpdateBreach, type BreachRead, type BreachUpdate } from './queries';
import { BREACH_RISKS, inputFromMoment, momentFromInput } from './risk';

const textFields = ['risk_assessment', 'consequences', 'measures', 'late_notification_reasons', 'subjects_information'] as const;
const momentFields = ['authority_notified_at', 'subjects_notified_at'] as const;
const fields = ['risk', 'records_count', ...textFields, ...momentFields] as const;

export function EditBreachForm({ breach }: { breach: BreachRead }) {
  const { t } = useTranslation();
  const update = useUpdateBreach(breach.id);
  const form = useValidatedForm(fields, {});
  const [saved, setSaved] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setSaved(false);
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const changes: BreachUpdate = {};
    const risk = BREACH_RISKS.find((r) => r === data.get('risk'));
    if (risk && risk !== breach.risk) changes.risk = risk;
    const records = text(data, 'records_count');
    if (records && Number(records) !== breach.records_count) changes.records_count = Number(records);
    for (const field of textFields) {
      const value = text(data, field);
      if (value && value !== breach[field]) changes[field] = value;
    }
    for (const field of momentFields) {
      const value = momentFromInput(data.get(field));
      if (value && value !== breach[field]) changes[field] = value;
    }
    if (Object.keys(changes).length === 0) {
      setSaved(true);
      return;
    }
    update.mutate(changes, { onSuccess: () => setSaved(true), onError: (error) => form.showApiError(element, error) });
  }

  const multiline = (field: (typeof textFields)[number], label: string) => (
    <Textfield
      multiline
      rows={3}
      label={label}
      name={field}
      defaultValue={breach[field] ?? ''}
      error={form.errors[field]}
    />
  );

  return (
    <section className="stack" aria-labelledby="edit-breach-heading">
      <Heading level={2} data-size="md" id="edit-breach-heading">
        {t('editBreach.heading')}
      </Heading>
      <form
        key={breach.updated_at}
        className="register-form"
        noValidate
        onSubmit={onSubmit}
        onChange={form.onChange}
        aria-labelledby="edit-breach-heading"
      >
        <Field>
          <Label>{t('breaches.risk')}</Label>
          <Select name="risk" defaultValue={breach.risk ?? ''}>
            <SelectOption value="">{t('breaches.riskNotAssessed')}</SelectOption>
            {BREACH_RISKS.map((risk) => (
              <SelectOption key={risk} value={risk}>
                {t(`breachRisk.${risk}`)}
              </SelectOption>
            ))}
          </Select>
        </Field>
        {multiline('risk_assessment', t('breaches.riskAssessment'))}
        <Textfield
          label={t('breaches.recordsCount')}
          name="records_count"
          type="number"
          inputMode="numeric"
          min={0}
          defaultValue={breach.records_count?.toString() ?? ''}
          error={form.errors.records_count}
        />
        {multiline('consequences', t('breaches.consequences'))}
        {multiline('measures', t('breaches.measures'))}
        <Textfield
          label={t('breaches.authorityNotified')}
          name="authority_notified_at"
          type="datetime-local"
          defaultValue={inputFromMoment(breach.authority_notified_at)}
          error={form.errors.authority_notified_at}
        />
        {multiline('late_notification_reasons', t('breaches.lateReasons'))}
        <Textfield
          label={t('breaches.subjectsNotified')}
          name="subjects_notified_at"
          type="datetime-local"
          defaultValue={inputFromMoment(breach.subjects_notified_at)}
          error={form.errors.subjects_notified_at}
        />
        {multiline('subjects_information', t('breaches.subjectsInformation'))}
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" disabled={update.isPending}>
            {t('editBreach.submit')}
          </Button>
        </div>
      </form>
      <div role="status">{saved && <Alert data-color="success">{t('editBreach.saved')}</Alert>}</div>
    </section>
  );
}

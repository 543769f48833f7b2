// "Meld avvik": any staff member reports a breach; the 72-hour clock starts at its detection.
import { Alert, Button, Field, Heading, Label, Paragraph, Select, SelectOption, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { RouteLink } from '../../routing/RouteLink';
import { useReportBreach, type BreachRead } from './queries';
import { BREACH_RISKS, inputFromMoment, momentFromInput } from './risk';

const fields = ['detected_at', 'description', 'risk', 'affected_count'] as const;

export function ReportBreachForm() {
  const { t } = useTranslation();
  const report = useReportBreach();
  const form = useValidatedForm(fields, {}, ['detected_at', 'description']);
  const [reported, setReported] = useState<BreachRead | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setReported(null);
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const risk = BREACH_RISKS.find((r) => r === data.get('risk'));
    const affected = text(data, 'affected_count');
    report.mutate(
      {
        detected_at: momentFromInput(data.get('detected_at')) ?? '',
        description: text(data, 'description') ?? '',
        ...(risk ? { risk } : {}),
        ...(affected ? { affected_count: Number(affected) } : {}),
      },
      {
        onSuccess: (breach) => {
          setReported(breach);
          element.reset();
        },
        onError: (error) => form.showApiError(element, error),
      },
    );
  }

  return (
    <section className="stack" aria-labelledby="report-breach-heading">
      <Heading level={2} data-size="md" id="report-breach-heading">
        {t('reportBreach.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('reportBreach.help')}</Paragraph>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="report-breach-heading">
        <Textfield
          label={t('breaches.detected')}
          name="detected_at"
          type="datetime-local"
          defaultValue={inputFromMoment(new Date().toISOString())}
          error={form.errors.detected_at}
        />
        <Textfield
          multiline
          rows={4}
          label={t('breaches.description')}
          description={t('reportBreach.descriptionHelp')}
          name="description"
          error={form.errors.description}
        />
        <Field>
          <Label>{t('breaches.risk')}</Label>
          <Select name="risk" defaultValue="">
            <SelectOption value="">{t('breaches.riskNotAssessed')}</SelectOption>
            {BREACH_RISKS.map((risk) => (
              <SelectOption key={risk} value={risk}>
                {t(`breachRisk.${risk}`)}
              </SelectOption>
            ))}
          </Select>
        </Field>
        <Textfield
          label={t('breaches.affectedCount')}
          name="affected_count"
          type="number"
          inputMode="numeric"
          min={0}
          error={form.errors.affected_count}
        />
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" disabled={report.isPending}>
            {t('reportBreach.submit')}
          </Button>
        </div>
      </form>
      <div role="status">
        {reported && (
          <Alert data-color="success">
            {t('reportBreach.done')} <RouteLink to={{ name: 'breach', id: reported.id }}>{t('reportBreach.open')}</RouteLink>
          </Alert>
        )}
      </div>
    </section>
  );
}

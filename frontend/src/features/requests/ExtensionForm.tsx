// Extending the answer time (GDPR Art. 12(3)): by how many months, why, and the letter that told
// the person; dsar moves the due date and records the letter.
import { Alert, Button, Field, Heading, Label, Paragraph, Select, SelectOption, Textfield, ValidationMessage } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { formatDate } from '../clients/formatDate';
import { useRequestConflict } from './conflicts';
import { useExtension, type DataRequestRead, type ExtensionCreate } from './queries';

const fields = ['months', 'reason', 'letter_sent_date', 'letter_sent_via'] as const;
const REASONS: readonly ExtensionCreate['reason'][] = ['complexity', 'number_of_requests'];
const CHANNELS: readonly ExtensionCreate['letter_sent_via'][] = ['letter', 'email', 'in_person', 'self_service'];
const OPEN = new Set(['received', 'identity_verified', 'in_progress', 'awaiting_approval', 'approved', 'failed']);

export function ExtensionForm({ request }: { request: DataRequestRead }) {
  const { t, i18n } = useTranslation();
  const extend = useExtension(request.id);
  const form = useValidatedForm(fields, {}, fields);
  const [extendedTo, setExtendedTo] = useState<string | null>(null);
  // A 409: the request was closed or extended meanwhile; it is fetched again, and the form gives
  // way to what it shows now, with the reason kept in view.
  const [conflict, setConflict] = useState<string[]>([]);
  const conflictOf = useRequestConflict(request.id);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const reason = REASONS.find((r) => r === data.get('reason'));
    const via = CHANNELS.find((c) => c === data.get('letter_sent_via'));
    if (!reason || !via) return;
    setConflict([]);
    extend.mutate(
      { months: Number(data.get('months')), reason, letter_sent_date: text(data, 'letter_sent_date') ?? '', letter_sent_via: via },
      {
        onSuccess: (updated) => setExtendedTo(updated.due_date),
        onError: (error) => {
          const changed = conflictOf(error);
          if (changed) {
            form.reset();
            return setConflict(changed);
          }
          form.showApiError(element, error, {
            months: t('extension.monthsRefused'),
            letter_sent_date: t('extension.letterRefused'),
          });
        },
      },
    );
  }

  const done = extendedTo && (
    <Alert data-color="success">{t('extension.done', { date: formatDate(extendedTo, i18n.language) })}</Alert>
  );
  // Once extended, the form gives way to what was done; a request is extended only once.
  if (request.extension || !OPEN.has(request.status)) {
    if (!done && conflict.length === 0) return null;
    return (
      <>
        <div role="status">{done}</div>
        <FormAlert messages={conflict} />
      </>
    );
  }
  return (
    <section className="stack" aria-labelledby="extension-heading">
      <Heading level={2} data-size="md" id="extension-heading">
        {t('extension.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('extension.help')}</Paragraph>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="extension-heading">
        <Field>
          <Label>{t('extension.months')}</Label>
          <Select name="months" defaultValue="" aria-invalid={form.errors.months ? true : undefined}>
            <SelectOption value="">{t('transition.choose')}</SelectOption>
            <SelectOption value="1">{t('extension.monthCount', { count: 1 })}</SelectOption>
            <SelectOption value="2">{t('extension.monthCount', { count: 2 })}</SelectOption>
          </Select>
          {form.errors.months && <ValidationMessage>{form.errors.months}</ValidationMessage>}
        </Field>
        <Field>
          <Label>{t('extension.reason')}</Label>
          <Select name="reason" defaultValue="" aria-invalid={form.errors.reason ? true : undefined}>
            <SelectOption value="">{t('transition.choose')}</SelectOption>
            {REASONS.map((reason) => (
              <SelectOption key={reason} value={reason}>
                {t(`extensionReason.${reason}`)}
              </SelectOption>
            ))}
          </Select>
          {form.errors.reason && <ValidationMessage>{form.errors.reason}</ValidationMessage>}
        </Field>
        <Textfield
          label={t('extension.letterSentDate')}
          name="letter_sent_date"
          type="date"
          error={form.errors.letter_sent_date}
        />
        <Field>
          <Label>{t('extension.letterSentVia')}</Label>
          <Select name="letter_sent_via" defaultValue="" aria-invalid={form.errors.letter_sent_via ? true : undefined}>
            <SelectOption value="">{t('transition.choose')}</SelectOption>
            {CHANNELS.map((channel) => (
              <SelectOption key={channel} value={channel}>
                {t(`letterChannel.${channel}`)}
              </SelectOption>
            ))}
          </Select>
          {form.errors.letter_sent_via && <ValidationMessage>{form.errors.letter_sent_via}</ValidationMessage>}
        </Field>
        <FormAlert messages={[...form.general, ...conflict]} />
        <div>
          <Button type="submit" variant="secondary" disabled={extend.isPending}>
            {t('extension.submit')}
          </Button>
        </div>
      </form>
      <div role="status">{done}</div>
    </section>
  );
}

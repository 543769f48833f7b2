// "Registrer kontakt": the kind and when it happened (not in the future). No content is kept.
import { Button, Field, Label, Select, SelectOption, Textfield, ValidationMessage } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactKind } from '../../api/types';
import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { localMoment, pastMoment } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { useRecordContact } from './queries';

export const contactKinds = ['session', 'phone', 'email', 'sms', 'video', 'visit'] as const satisfies readonly ContactKind[];
const fields = ['kind', 'occurred_at'] as const;

export function ContactForm({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const record = useRecordContact(personId);
  const form = useValidatedForm(fields, { occurred_at: pastMoment }, fields);
  const [recorded, setRecorded] = useState(false);
  const [defaultMoment] = useState(() => localMoment());

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setRecorded(false);
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const kind = contactKinds.find((k) => k === data.get('kind')) ?? 'session';
    const occurredAt = new Date(text(data, 'occurred_at') ?? '').toISOString();
    record.mutate(
      { kind, occurred_at: occurredAt },
      { onSuccess: () => setRecorded(true), onError: (error) => form.showApiError(element, error) },
    );
  }

  return (
    <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="contact-form-heading">
      <h3 id="contact-form-heading" className="ds-heading" data-size="xs">
        {t('contacts.record')}
      </h3>
      <Field>
        <Label>{t('contacts.kind')}</Label>
        <Select name="kind" defaultValue="session" aria-invalid={form.errors.kind ? true : undefined}>
          {contactKinds.map((kind) => (
            <SelectOption key={kind} value={kind}>
              {t(`contactKind.${kind}`)}
            </SelectOption>
          ))}
        </Select>
        {form.errors.kind && <ValidationMessage>{form.errors.kind}</ValidationMessage>}
      </Field>
      <Textfield
        label={t('contacts.occurredAt')}
        name="occurred_at"
        type="datetime-local"
        defaultValue={defaultMoment}
        max={localMoment()}
        error={form.errors.occurred_at}
      />
      <FormAlert messages={form.general} />
      <div>
        <Button type="submit" disabled={record.isPending}>
          {t('contacts.submit')}
        </Button>
      </div>
      <div role="status">{recorded && <span>{t('contacts.recorded')}</span>}</div>
    </form>
  );
}

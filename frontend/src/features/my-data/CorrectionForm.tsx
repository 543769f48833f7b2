// "Be om retting": which piece of information is wrong and what it should be. The centre checks
// and applies it through the system that holds it; the request shows up in the list below.
import { Button, Field, Heading, Label, Paragraph, Select, SelectOption, Textfield, ValidationMessage } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import type { Rule } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { useFileRequest } from './queries';

export const correctableFields = ['full_name', 'email', 'phone', 'address', 'birth_date', 'other'] as const;
const fields = ['field', 'value'] as const;
const maxLength: Rule = (value) => (value.length > 1000 ? 'validation.tooLong' : undefined);

export function CorrectionForm() {
  const { t } = useTranslation();
  const file = useFileRequest();
  const form = useValidatedForm(fields, { value: maxLength }, fields);
  const [sent, setSent] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setSent(false);
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    const field = correctableFields.find((f) => f === data.get('field')) ?? 'other';
    file.mutate(
      { type: 'rectification', corrections: { [field]: text(data, 'value') ?? '' } },
      {
        onSuccess: () => {
          element.reset();
          form.reset();
          setSent(true);
        },
        onError: (error) => form.showApiError(element, error),
      },
    );
  }

  return (
    <section className="stack" aria-labelledby="correction-heading">
      <Heading level={2} data-size="md" id="correction-heading">
        {t('myData.correctionHeading')}
      </Heading>
      <Paragraph>{t('myData.correctionIntro')}</Paragraph>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="correction-heading">
        <Field>
          <Label>{t('myData.correctionField')}</Label>
          <Select name="field" defaultValue="full_name" aria-invalid={form.errors.field ? true : undefined}>
            {correctableFields.map((field) => (
              <SelectOption key={field} value={field}>
                {t(`myData.fields.${field}`)}
              </SelectOption>
            ))}
          </Select>
          {form.errors.field && <ValidationMessage>{form.errors.field}</ValidationMessage>}
        </Field>
        <Textfield label={t('myData.correctionValue')} name="value" multiline rows={2} error={form.errors.value} />
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" disabled={file.isPending}>
            {t('myData.correctionSubmit')}
          </Button>
        </div>
        <div role="status">{sent && <span>{t('myData.correctionSent')}</span>}</div>
      </form>
    </section>
  );
}

// "Registrer klient": coordinators and managers add a client to the register.
import {
  Alert,
  Button,
  Checkbox,
  Field,
  FieldDescription,
  Heading,
  Label,
  Paragraph,
  Select,
  SelectOption,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { FormAlert } from '../../forms/FormAlert';
import { email, maxLength, pastDate, phone } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { genders, heardAboutOptions, personFields, personFromForm, type PersonField } from './personFromForm';
import { useCounsellors, useCreatePerson } from './queries';

export function RegisterClientForm() {
  const { t } = useTranslation();
  const createPerson = useCreatePerson();
  // The API's rules, checked as the user types; the API's 422 reasons land next to the same fields.
  const form = useValidatedForm(
    personFields,
    { full_name: maxLength(200), email, phone, birth_date: pastDate },
    ['full_name'],
  );
  const errors = form.errors;
  const [registered, setRegistered] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setRegistered(false);
    if (!form.validateAll(element)) return;
    createPerson.mutate(personFromForm(new FormData(element)), {
      onSuccess: () => {
        element.reset();
        form.reset();
        setRegistered(true);
      },
      onError: (error) => form.showApiError(element, error),
    });
  }

  return (
    <section className="stack" aria-labelledby="register-heading">
      <Heading level={2} data-size="md" id="register-heading">
        {t('register.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('register.intro')}</Paragraph>
      <form
        className="register-form"
        noValidate
        onSubmit={onSubmit}
        onChange={form.onChange}
        aria-labelledby="register-heading"
      >
        <Textfield
          label={t('register.fullName')}
          description={t('register.required')}
          name="full_name"
          autoComplete="off"
          aria-required
          error={errors.full_name}
        />
        <Textfield label={t('register.email')} name="email" type="email" autoComplete="off" error={errors.email} />
        <Textfield label={t('register.phone')} name="phone" type="tel" autoComplete="off" error={errors.phone} />
        <Textfield
          label={t('register.birthDate')}
          name="birth_date"
          type="date"
          autoComplete="off"
          error={errors.birth_date}
        />
        <ChoiceField
          label={t('register.gender')}
          name="gender"
          emptyLabel={t('register.notGiven')}
          error={errors.gender}
        >
          {genders.map((gender) => (
            <SelectOption key={gender} value={gender}>
              {t(`gender.${gender}`)}
            </SelectOption>
          ))}
        </ChoiceField>
        <ChoiceField
          label={t('register.heardAbout')}
          name="heard_about"
          emptyLabel={t('register.notGiven')}
          error={errors.heard_about}
        >
          {heardAboutOptions.map((source) => (
            <SelectOption key={source} value={source}>
              {t(`heardAbout.${source}`)}
            </SelectOption>
          ))}
        </ChoiceField>
        <CounsellorField error={errors.assigned_counsellor_id} />
        <Checkbox label={t('register.newsletter')} name="newsletter_opt_in" error={errors.newsletter_opt_in} />

        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" disabled={createPerson.isPending}>
            {t('register.submit')}
          </Button>
        </div>
        {/* Always in the DOM so screen readers announce the message when it appears. */}
        <div role="status">
          {registered && <Alert data-color="success">{t('register.success')}</Alert>}
        </div>
      </form>
    </section>
  );
}

function ChoiceField({
  label,
  name,
  emptyLabel,
  error,
  description,
  children,
}: {
  label: string;
  name: PersonField;
  /** The first option, which sends null. */
  emptyLabel: string;
  error: string | undefined;
  description?: string | undefined;
  children: ReactNode;
}) {
  return (
    <Field>
      <Label>{label}</Label>
      {description && <FieldDescription>{description}</FieldDescription>}
      <Select name={name} defaultValue="" aria-invalid={error ? true : undefined}>
        <SelectOption value="">{emptyLabel}</SelectOption>
        {children}
      </Select>
      {error && <ValidationMessage>{error}</ValidationMessage>}
    </Field>
  );
}

function CounsellorField({ error }: { error: string | undefined }) {
  const { t } = useTranslation();
  const counsellors = useCounsellors();
  const description = counsellors.isPending
    ? t('register.counsellorsLoading')
    : counsellors.isError
      ? t('register.counsellorsFailed')
      : undefined;
  return (
    <ChoiceField
      label={t('register.counsellor')}
      name="assigned_counsellor_id"
      emptyLabel={t('register.counsellorNone')}
      error={error}
      description={description}
    >
      {counsellors.data?.map((counsellor) => (
        <SelectOption key={counsellor.id} value={counsellor.id}>
          {counsellor.display_name}
        </SelectOption>
      ))}
    </ChoiceField>
  );
}

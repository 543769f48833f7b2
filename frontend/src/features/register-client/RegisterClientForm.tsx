// "Registrer klient": coordinators and managers add a client to the register, with the fields the
// centre's org profile turns on (`GET /registry/profile/fields`) and no others.
import {
  Alert,
  Button,
  Checkbox,
  Field,
  FieldDescription,
  Fieldset,
  FieldsetDescription,
  FieldsetLegend,
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

import { ApiError, fieldErrors } from '../../api/problem';
import { FormAlert } from '../../forms/FormAlert';
import { email, maxLength, nationalId, pastDate, phone, type RuleKey } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { LoadState } from '../../ui/LoadState';
import {
  ageOn,
  genders,
  heardAboutOptions,
  personFields,
  personFromForm,
  type PersonField,
  type RecordField,
} from './personFromForm';
import { useCounsellors, useCreatePerson, useRecordFields } from './queries';

export function RegisterClientForm() {
  const { t } = useTranslation();
  const recordFields = useRecordFields();
  return (
    <section className="stack" aria-labelledby="register-heading">
      <Heading level={2} data-size="md" id="register-heading">
        {t('register.heading')}
      </Heading>
      <LoadState isPending={recordFields.isPending} error={recordFields.error} failed={t('register.fieldsFailed')} />
      {recordFields.data && (
        <RegisterForm
          on={new Set(recordFields.data.fields)}
          anonymousAllowed={recordFields.data.anonymous_clients_allowed}
          guardianUnder={recordFields.data.guardian_consent_under ?? null}
        />
      )}
    </section>
  );
}

/** The form with the fields the centre collects (the org profile's `client_record`), and no other. */
function RegisterForm({
  on,
  anonymousAllowed,
  guardianUnder,
}: {
  on: ReadonlySet<string>;
  anonymousAllowed: boolean;
  guardianUnder: number | null;
}) {
  const { t } = useTranslation();
  const createPerson = useCreatePerson();
  const [anonymous, setAnonymous] = useState(false);
  const [birthDate, setBirthDate] = useState('');
  const [guardianAsked, setGuardianAsked] = useState(false);
  const age = birthDate ? ageOn(birthDate, new Date()) : null;
  const minor = guardianUnder !== null && age !== null && age < guardianUnder;
  const withGuardian = on.has('guardian') && !anonymous && (minor || guardianAsked);
  // The API's rules, checked as the user types; the API's 422 reasons land next to the same fields.
  const form = useValidatedForm(
    personFields,
    {
      full_name: maxLength(200),
      address: maxLength(300),
      email,
      phone,
      birth_date: pastDate,
      national_id: nationalId,
      intake_date: pastDate,
      signed_date: pastDate,
      version: maxLength(64),
      guardian_name: maxLength(200),
      guardian_phone: phone,
      guardian_email: email,
      guardian_consent_date: pastDate,
      partner_name: maxLength(200),
      partner_phone: phone,
    },
    [],
    (data) => wholeRules(data, on, withGuardian),
  );
  const errors = form.errors;
  const [registered, setRegistered] = useState(false);
  const shown = (field: RecordField, identifies = false) => on.has(field) && !(identifies && anonymous);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setRegistered(false);
    if (!form.validateAll(element)) return;
    createPerson.mutate(personFromForm(new FormData(element), on, withGuardian), {
      onSuccess: () => {
        element.reset();
        form.reset();
        setAnonymous(false);
        setBirthDate('');
        setGuardianAsked(false);
        setRegistered(true);
      },
      onError: (error) => {
        if (error instanceof ApiError && fieldErrors(error.problem).has('guardian')) setGuardianAsked(true);
        form.showApiError(element, error);
      },
    });
  }

  return (
    <>
      <Paragraph data-size="sm">{t(anonymous ? 'register.introAnonymous' : 'register.intro')}</Paragraph>
      <form
        className="register-form"
        noValidate
        onSubmit={onSubmit}
        onChange={form.onChange}
        aria-labelledby="register-heading"
      >
        {anonymousAllowed && (
          <Checkbox
            label={t('register.anonymous')}
            description={t('register.anonymousHelp')}
            name="anonymous"
            checked={anonymous}
            onChange={(event) => setAnonymous(event.target.checked)}
            error={errors.anonymous}
          />
        )}
        {shown('full_name', true) && (
          <Textfield
            label={t('register.fullName')}
            description={t('register.required')}
            name="full_name"
            autoComplete="off"
            aria-required
            error={errors.full_name}
          />
        )}
        {shown('email', true) && (
          <Textfield label={t('register.email')} name="email" type="email" autoComplete="off" error={errors.email} />
        )}
        {shown('phone', true) && (
          <Textfield label={t('register.phone')} name="phone" type="tel" autoComplete="off" error={errors.phone} />
        )}
        {shown('address', true) && (
          <Textfield label={t('register.address')} name="address" autoComplete="off" error={errors.address} />
        )}
        {shown('national_id', true) && (
          <Textfield
            label={t('register.nationalId')}
            name="national_id"
            inputMode="numeric"
            autoComplete="off"
            error={errors.national_id}
          />
        )}
        {shown('birth_date') && (
          <Textfield
            label={t('register.birthDate')}
            name="birth_date"
            type="date"
            autoComplete="off"
            value={birthDate}
            onChange={(event) => setBirthDate(event.target.value)}
            error={errors.birth_date}
          />
        )}
        {withGuardian && (
          <Fieldset>
            <FieldsetLegend>{t('register.guardianLegend')}</FieldsetLegend>
            <FieldsetDescription>{t('register.guardianHelp', { age: guardianUnder ?? 16 })}</FieldsetDescription>
            {errors.guardian && <ValidationMessage>{errors.guardian}</ValidationMessage>}
            <Textfield label={t('register.guardianName')} name="guardian_name" autoComplete="off" error={errors.guardian_name} />
            <Textfield label={t('register.guardianPhone')} name="guardian_phone" type="tel" autoComplete="off" error={errors.guardian_phone} />
            <Textfield label={t('register.guardianEmail')} name="guardian_email" type="email" autoComplete="off" error={errors.guardian_email} />
            <Textfield label={t('register.guardianConsentDate')} name="guardian_consent_date" type="date" error={errors.guardian_consent_date} />
          </Fieldset>
        )}
        {shown('gender') && (
          <ChoiceField label={t('register.gender')} name="gender" emptyLabel={t('register.notGiven')} error={errors.gender}>
            {genders.map((gender) => (
              <SelectOption key={gender} value={gender}>
                {t(`gender.${gender}`)}
              </SelectOption>
            ))}
          </ChoiceField>
        )}
        {shown('heard_about') && (
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
        )}
        {shown('intake_date') && (
          <Textfield label={t('register.intakeDate')} name="intake_date" type="date" error={errors.intake_date} />
        )}
        {shown('confidentiality_declaration') && (
          <Fieldset>
            <FieldsetLegend>{t('register.declarationLegend')}</FieldsetLegend>
            <FieldsetDescription>{t('register.declarationHelp')}</FieldsetDescription>
            {errors.confidentiality_declaration && <ValidationMessage>{errors.confidentiality_declaration}</ValidationMessage>}
            <Textfield label={t('register.declarationSigned')} name="signed_date" type="date" error={errors.signed_date} />
            <Textfield label={t('register.declarationVersion')} name="version" autoComplete="off" error={errors.version} />
          </Fieldset>
        )}
        {shown('partner', true) && (
          <Fieldset>
            <FieldsetLegend>{t('register.partnerLegend')}</FieldsetLegend>
            <FieldsetDescription>{t('register.partnerHelp')}</FieldsetDescription>
            {errors.partner && <ValidationMessage>{errors.partner}</ValidationMessage>}
            <Textfield label={t('register.partnerName')} name="partner_name" autoComplete="off" error={errors.partner_name} />
            <Textfield label={t('register.partnerPhone')} name="partner_phone" type="tel" autoComplete="off" error={errors.partner_phone} />
          </Fieldset>
        )}
        <CounsellorField error={errors.assigned_counsellor_id} />
        {shown('journal_consent') && (
          <Checkbox label={t('register.journalConsent')} name="journal_consent" error={errors.journal_consent} />
        )}
        {shown('newsletter_opt_in', true) && (
          <Checkbox label={t('register.newsletter')} name="newsletter_opt_in" error={errors.newsletter_opt_in} />
        )}

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
    </>
  );
}

/** The rules over several fields, as the registry checks them (`persons/rules.py`). */
function wholeRules(data: FormData, on: ReadonlySet<string>, withGuardian: boolean): Partial<Record<PersonField, RuleKey>> {
  const found: Partial<Record<PersonField, RuleKey>> = {};
  const filled = (field: PersonField) => {
    const value = data.get(field);
    return typeof value === 'string' && value.trim() !== '';
  };
  if (data.get('anonymous') !== 'on') {
    if (on.has('full_name') && !filled('full_name')) found.full_name = 'validation.required';
    if (on.has('email') && on.has('phone') && !filled('email') && !filled('phone')) found.email = 'validation.emailOrPhone';
    else if (on.has('phone') && !on.has('email') && !filled('phone')) found.phone = 'validation.required';
    else if (on.has('email') && !on.has('phone') && !filled('email')) found.email = 'validation.required';
    if (withGuardian) {
      if (!filled('guardian_name')) found.guardian_name = 'validation.required';
      if (!filled('guardian_consent_date')) found.guardian_consent_date = 'validation.required';
    }
    if (filled('partner_phone') && !filled('partner_name')) found.partner_name = 'validation.required';
  }
  if (filled('signed_date') && !filled('version')) found.version = 'validation.required';
  if (filled('version') && !filled('signed_date')) found.signed_date = 'validation.required';
  return found;
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

// "Nytt inntak": everything the waiting list keeps about an applicant. Name and a way to reach
// them are needed; the rest is what they chose to tell.
import { Button, Heading, Paragraph, SelectOption, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { AbuseKind, AffectedAs, WaitlistEntryCreate } from '../../api/types';
import { ChoiceField, oneOf, text, yesNo } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { email, maxLength, pastDate, phone } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { genders } from '../register-client/personFromForm';
import { useCreateWaitlistEntry } from './queries';

const fields = [
  'full_name',
  'email',
  'phone',
  'received_date',
  'birth_date',
  'gender',
  'new_user',
  'affected_as',
  'abuse_kind',
  'other_help_services',
] as const;
const affectedAsOptions = ['self_affected', 'relative'] as const satisfies readonly AffectedAs[];
const abuseKinds = ['single', 'complex'] as const satisfies readonly AbuseKind[];

function entryFromForm(form: FormData): WaitlistEntryCreate {
  return {
    full_name: text(form, 'full_name') ?? '',
    email: text(form, 'email'),
    phone: text(form, 'phone'),
    received_date: text(form, 'received_date'),
    birth_date: text(form, 'birth_date'),
    gender: oneOf(genders, text(form, 'gender')),
    new_user: yesNo(text(form, 'new_user')),
    affected_as: oneOf(affectedAsOptions, text(form, 'affected_as')),
    abuse_kind: oneOf(abuseKinds, text(form, 'abuse_kind')),
    other_help_services: yesNo(text(form, 'other_help_services')),
  };
}

export function IntakeForm() {
  const { t } = useTranslation();
  const create = useCreateWaitlistEntry();
  const form = useValidatedForm(
    fields,
    { full_name: maxLength(200), email, phone, received_date: pastDate, birth_date: pastDate },
    ['full_name'],
    (data) => (text(data, 'email') || text(data, 'phone') ? {} : { email: 'validation.emailOrPhone' }),
  );
  const [registered, setRegistered] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setRegistered(false);
    if (!form.validateAll(element)) return;
    const entry = entryFromForm(new FormData(element));
    create.mutate(entry, {
      onSuccess: () => {
        element.reset();
        form.reset();
        setRegistered(true);
      },
      onError: (error) => form.showApiError(element, error),
    });
  }

  const yesNoOptions = (
    <>
      <SelectOption value="yes">{t('common.yes')}</SelectOption>
      <SelectOption value="no">{t('common.no')}</SelectOption>
    </>
  );

  return (
    <section className="stack" aria-labelledby="intake-heading">
      <Heading level={2} data-size="md" id="intake-heading">
        {t('intake.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('intake.intro')}</Paragraph>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="intake-heading">
        <Textfield
          label={t('register.fullName')}
          description={t('register.required')}
          name="full_name"
          autoComplete="off"
          aria-required
          error={form.errors.full_name}
        />
        <Textfield
          label={t('register.email')}
          description={t('intake.reachable')}
          name="email"
          type="email"
          autoComplete="off"
          error={form.errors.email}
        />
        <Textfield label={t('register.phone')} name="phone" type="tel" autoComplete="off" error={form.errors.phone} />
        <Textfield
          label={t('intake.receivedDate')}
          description={t('intake.receivedDateHelp')}
          name="received_date"
          type="date"
          error={form.errors.received_date}
        />
        <Textfield label={t('register.birthDate')} name="birth_date" type="date" error={form.errors.birth_date} />
        <ChoiceField label={t('register.gender')} name="gender" emptyLabel={t('register.notGiven')} error={form.errors.gender}>
          {genders.map((gender) => (
            <SelectOption key={gender} value={gender}>
              {t(`gender.${gender}`)}
            </SelectOption>
          ))}
        </ChoiceField>
        <ChoiceField label={t('intake.newUser')} name="new_user" emptyLabel={t('register.notGiven')} error={form.errors.new_user}>
          {yesNoOptions}
        </ChoiceField>
        <ChoiceField
          label={t('intake.affectedAs')}
          name="affected_as"
          emptyLabel={t('register.notGiven')}
          error={form.errors.affected_as}
        >
          {affectedAsOptions.map((option) => (
            <SelectOption key={option} value={option}>
              {t(`affectedAs.${option}`)}
            </SelectOption>
          ))}
        </ChoiceField>
        <ChoiceField
          label={t('intake.abuseKind')}
          name="abuse_kind"
          emptyLabel={t('register.notGiven')}
          error={form.errors.abuse_kind}
        >
          {abuseKinds.map((kind) => (
            <SelectOption key={kind} value={kind}>
              {t(`abuseKind.${kind}`)}
            </SelectOption>
          ))}
        </ChoiceField>
        <ChoiceField
          label={t('intake.otherHelpServices')}
          name="other_help_services"
          emptyLabel={t('register.notGiven')}
          error={form.errors.other_help_services}
        >
          {yesNoOptions}
        </ChoiceField>
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" disabled={create.isPending}>
            {t('intake.submit')}
          </Button>
        </div>
        <div role="status">{registered && <span>{t('intake.success')}</span>}</div>
      </form>
    </section>
  );
}

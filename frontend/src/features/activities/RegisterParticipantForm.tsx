// "Meld på deltaker": name, and optionally how to reach them.
import { Button, Heading, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { email, maxLength, phone } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { useRegisterParticipant } from './queries';

const fields = ['full_name', 'email', 'phone'] as const;

export function RegisterParticipantForm({ activityId }: { activityId: string }) {
  const { t } = useTranslation();
  const register = useRegisterParticipant(activityId);
  const form = useValidatedForm(fields, { full_name: maxLength(200), email, phone }, ['full_name']);
  const [registered, setRegistered] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setRegistered(false);
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    register.mutate(
      { full_name: text(data, 'full_name') ?? '', email: text(data, 'email'), phone: text(data, 'phone') },
      {
        onSuccess: () => {
          element.reset();
          form.reset();
          setRegistered(true);
        },
        onError: (error) => form.showApiError(element, error),
      },
    );
  }

  return (
    <section className="stack" aria-labelledby="participant-form-heading">
      <Heading level={2} data-size="md" id="participant-form-heading">
        {t('participants.register')}
      </Heading>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="participant-form-heading">
        <Textfield
          label={t('register.fullName')}
          description={t('register.required')}
          name="full_name"
          autoComplete="off"
          aria-required
          error={form.errors.full_name}
        />
        <Textfield label={t('register.email')} name="email" type="email" autoComplete="off" error={form.errors.email} />
        <Textfield label={t('register.phone')} name="phone" type="tel" autoComplete="off" error={form.errors.phone} />
        <FormAlert messages={form.general} />
        <div>
          <Button type="submit" disabled={register.isPending}>
            {t('participants.submit')}
          </Button>
        </div>
        <div role="status">{registered && <span>{t('participants.registered')}</span>}</div>
      </form>
    </section>
  );
}

// "Meld deg av nyhetsbrevet". The link in each newsletter carries its token after a '#', which
// browsers never send to a server; the page takes it into memory and drops it from the address
// bar and history at once. Opening the page changes nothing: a button unsubscribes (RFC 8058).
// Without a token, the page mails a new link to an address instead.
import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { email as emailRule } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { useSendUnsubscribeLink, useUnsubscribe } from './queries';

const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

let taken: string | null = null;

/** The token from the URL's fragment, kept in memory only; the fragment leaves the address bar. */
function takeTokenFromFragment(): string | null {
  const fragment = window.location.hash.replace(/^#/, '');
  if (fragment !== '') {
    window.history.replaceState(window.history.state, '', window.location.pathname);
    taken = TOKEN.test(fragment) ? fragment : null;
  }
  return taken;
}

export function UnsubscribePage() {
  const { t } = useTranslation();
  const [token, setToken] = useState(takeTokenFromFragment);

  // A link opened while the page is already showing changes only the fragment.
  useEffect(() => {
    const onHashChange = () => setToken(takeTokenFromFragment());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  return (
    <section className="stack narrow" aria-labelledby="unsubscribe-heading">
      <Heading level={1} data-size="lg" id="unsubscribe-heading">
        {t('unsubscribe.heading')}
      </Heading>
      {token ? <OneClick token={token} /> : <LostLink />}
    </section>
  );
}

function OneClick({ token }: { token: string }) {
  const { t } = useTranslation();
  const unsubscribe = useUnsubscribe();

  if (unsubscribe.isSuccess) {
    return (
      <div role="status">
        <Alert data-color="success">
          <Heading level={2} data-size="xs">
            {t('unsubscribe.doneHeading')}
          </Heading>
          <Paragraph>{t('unsubscribe.doneText')}</Paragraph>
        </Alert>
      </div>
    );
  }
  return (
    <>
      <Paragraph>{t('unsubscribe.intro')}</Paragraph>
      {unsubscribe.isError && (
        <Alert data-color="danger" role="alert">
          {t('unsubscribe.failed')}
        </Alert>
      )}
      <Button disabled={unsubscribe.isPending} onClick={() => unsubscribe.mutate(token)}>
        {t('unsubscribe.submit')}
      </Button>
    </>
  );
}

const fields = ['email'] as const;

function LostLink() {
  const { t } = useTranslation();
  const send = useSendUnsubscribeLink();
  const form = useValidatedForm(fields, { email: emailRule }, fields);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    if (!form.validateAll(element)) return;
    send.mutate(text(new FormData(element), 'email') ?? '', {
      onSuccess: () => {
        element.reset();
        form.reset();
      },
      onError: (error) => form.showApiError(element, error),
    });
  }

  const tooMany = send.error instanceof ApiError && send.error.status === 429;
  return (
    <>
      <Paragraph>{t('unsubscribe.lostIntro')}</Paragraph>
      <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-label={t('unsubscribe.lostForm')}>
        <Textfield label={t('newsletter.email')} name="email" type="email" autoComplete="email" error={form.errors.email} />
        {tooMany ? (
          <Alert data-color="warning" role="alert">
            {t('newsletter.tooMany')}
          </Alert>
        ) : (
          <FormAlert messages={form.general} />
        )}
        <div>
          <Button type="submit" disabled={send.isPending}>
            {t('unsubscribe.sendLink')}
          </Button>
        </div>
      </form>
      <div role="status">
        {send.isSuccess && (
          <Alert data-color="success">
            <Heading level={2} data-size="xs">
              {t('newsletter.sentHeading')}
            </Heading>
            <Paragraph>{t('unsubscribe.linkSent')}</Paragraph>
          </Alert>
        )}
      </div>
    </>
  );
}

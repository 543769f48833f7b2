// "Mine opplysninger" before signing in: what the page offers, and the BankID login.
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

import { SignedOutNotice, useSignIn } from '../idle/SignedOutNotice';

export function MyDataSignIn() {
  const { t } = useTranslation();
  const auth = useAuth();
  const signIn = useSignIn();
  return (
    <section className="landing" aria-labelledby="my-data-heading">
      <Heading level={1} data-size="lg" id="my-data-heading">
        {t('nav.myData')}
      </Heading>
      <SignedOutNotice />
      <Paragraph>{t('myData.signInIntro')}</Paragraph>
      {auth.error && (
        <Alert data-color="danger" role="alert">
          {t('landing.signInFailed')}
        </Alert>
      )}
      <Button onClick={signIn}>{t('myData.signIn')}</Button>
    </section>
  );
}

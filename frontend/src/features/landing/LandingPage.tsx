// Shown when nobody is signed in: what Vern is, and the way in.
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

import { SignedOutNotice, useSignIn } from '../idle/SignedOutNotice';

export function LandingPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const signIn = useSignIn();

  return (
    <section className="landing" aria-labelledby="landing-heading">
      <Heading level={1} data-size="lg" id="landing-heading">
        {t('landing.heading')}
      </Heading>
      <SignedOutNotice />
      <Paragraph>{t('landing.intro')}</Paragraph>
      <Paragraph data-size="sm" className="landing__privacy">
        {t('landing.privacy')}
      </Paragraph>
      {auth.error && (
        <Alert data-color="danger" role="alert">
          {t('landing.signInFailed')}
        </Alert>
      )}
      <Button onClick={signIn}>{t('landing.signIn')}</Button>
    </section>
  );
}

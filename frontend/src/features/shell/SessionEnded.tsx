// Shown in place of the screen when the login ended at the identity provider while the app was
// open (auth/tokens.ts found the refresh token refused): what happened, and a way back to the same
// screen. The address bar keeps the screen's route, and the login returns to it.
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { useSignIn } from '../idle/SignedOutNotice';

export function SessionEnded() {
  const { t } = useTranslation();
  const signIn = useSignIn();
  return (
    <section className="landing" aria-labelledby="session-ended-heading">
      <Heading level={1} data-size="lg" id="session-ended-heading">
        {t('session.endedHeading')}
      </Heading>
      <Alert data-color="warning" role="alert">
        <Paragraph>{t('session.ended')}</Paragraph>
      </Alert>
      <Button onClick={signIn}>{t('session.signInAgain')}</Button>
    </section>
  );
}

// After an idle logout: the message saying so, and a sign-in that asks for the password again
// (the IdP's session may still be alive on a shared computer).
import { Alert } from '@digdir/designsystemet-react';
import { useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

import { loginStateFor } from '../../auth/config';
import { clearSessionEnded } from '../../auth/sessionEnd';
import { clearSignedOutReason, useSignedOutReason } from './signedOut';

export function SignedOutNotice() {
  const { t } = useTranslation();
  if (useSignedOutReason() !== 'idle') return null;
  return (
    <Alert data-color="info" role="status">
      {t('landing.signedOutIdle')}
    </Alert>
  );
}

/** Starts a login that comes back to the screen it started from. */
export function useSignIn(): () => void {
  const auth = useAuth();
  const reason = useSignedOutReason();
  return () => {
    clearSignedOutReason();
    clearSessionEnded();
    const state = loginStateFor(window.location.pathname);
    void auth.signinRedirect(reason === 'idle' ? { prompt: 'login', state } : { state });
  };
}

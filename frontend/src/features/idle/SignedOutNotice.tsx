// After an idle logout: the message saying so, and a sign-in that asks for the password again
// (the IdP's session may still be alive on a shared computer).
import { Alert } from '@digdir/designsystemet-react';
import { useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

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

export function useSignIn(): () => void {
  const auth = useAuth();
  const reason = useSignedOutReason();
  return () => {
    clearSignedOutReason();
    void auth.signinRedirect(reason === 'idle' ? { prompt: 'login' } : undefined);
  };
}

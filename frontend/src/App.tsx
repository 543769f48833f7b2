// Chooses the screen: the landing page until someone is signed in, then their work.
import { Spinner } from '@digdir/designsystemet-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { hasAuthParams, useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

import { currentAccessToken } from './auth/config';
import { canRegisterClients } from './auth/roles';
import { useStaffRoles } from './auth/useStaffRoles';
import { MyClientsPage } from './features/clients/MyClientsPage';
import { LandingPage } from './features/landing/LandingPage';
import { RegisterClientForm } from './features/register-client/RegisterClientForm';
import { AppShell } from './features/shell/AppShell';

export function App() {
  const { t } = useTranslation();
  const auth = useAuth();
  const roles = useStaffRoles();
  const canRegister = canRegisterClients(roles);
  const queryClient = useQueryClient();
  const subject = auth.user?.profile.sub;

  // One person's clients must never be on screen for the next: drop cached data when the user changes.
  useEffect(() => () => queryClient.clear(), [queryClient, subject]);

  // Without a stored session or an authorization response to redeem, the visitor is signed out:
  // show the landing page at once instead of a spinner while the provider reads its store.
  const [mayBeSignedIn] = useState(() => hasAuthParams() || currentAccessToken() !== undefined);

  if ((auth.isLoading && mayBeSignedIn) || auth.activeNavigator) {
    return (
      <AppShell>
        <Spinner aria-label={t('app.loading')} />
      </AppShell>
    );
  }

  if (!auth.isAuthenticated) {
    return (
      <AppShell>
        <LandingPage />
      </AppShell>
    );
  }

  return (
    <AppShell>
      <div className="workspace">
        <MyClientsPage canRegister={canRegister} />
        {canRegister && <RegisterClientForm />}
      </div>
    </AppShell>
  );
}

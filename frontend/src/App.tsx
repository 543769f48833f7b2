// Chooses the screen: the landing page until someone is signed in, then their work by route and role.
import { Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { hasAuthParams, useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

import { currentAccessToken } from './auth/config';
import { canRegisterClients, type StaffRole } from './auth/roles';
import { useSessionEnded } from './auth/sessionEnd';
import { useStaffRoles } from './auth/useStaffRoles';
import { ActivitiesPage } from './features/activities/ActivitiesPage';
import { ActivityPage } from './features/activities/ActivityPage';
import { ClientPage } from './features/client/ClientPage';
import { MyClientsPage } from './features/clients/MyClientsPage';
import { IdleLogout } from './features/idle/IdleLogout';
import { useSignedOutReason } from './features/idle/signedOut';
import { LandingPage } from './features/landing/LandingPage';
import { MyDataPage } from './features/my-data/MyDataPage';
import { MyDataSignIn } from './features/my-data/MyDataSignIn';
import { SignUpPage } from './features/newsletter/SignUpPage';
import { UnsubscribePage } from './features/newsletter/UnsubscribePage';
import { PrivacyNoticePage } from './features/privacy-notice/PrivacyNoticePage';
import { RegisterClientForm } from './features/register-client/RegisterClientForm';
import { AppNav } from './features/shell/AppNav';
import { AppShell } from './features/shell/AppShell';
import { PublicNav } from './features/shell/PublicNav';
import { SessionEnded } from './features/shell/SessionEnded';
import { screenOf, screensFor, type Screen as ScreenName } from './features/shell/screens';
import { StatisticsPage } from './features/statistics/StatisticsPage';
import { WaitlistEntryPage } from './features/waitlist/WaitlistEntryPage';
import { WaitlistPage } from './features/waitlist/WaitlistPage';
import { useRoute } from './routing/navigation';
import { isPublic, type Route } from './routing/routes';

// The manager's and the DPO's screens are loaded when first opened, not with the counsellors' app.
const RequestsPage = lazy(() => import('./features/requests/RequestsPage').then((m) => ({ default: m.RequestsPage })));
const RequestPage = lazy(() => import('./features/requests/RequestPage').then((m) => ({ default: m.RequestPage })));
const BreachesPage = lazy(() => import('./features/breaches/BreachesPage').then((m) => ({ default: m.BreachesPage })));
const BreachPage = lazy(() => import('./features/breaches/BreachPage').then((m) => ({ default: m.BreachPage })));
const NewslettersPage = lazy(() =>
  import('./features/newsletters/NewslettersPage').then((m) => ({ default: m.NewslettersPage })),
);
const ConsentHistoryPage = lazy(() =>
  import('./features/newsletters/ConsentHistoryPage').then((m) => ({ default: m.ConsentHistoryPage })),
);
const BreakGlassLogPage = lazy(() =>
  import('./features/audit/BreakGlassLogPage').then((m) => ({ default: m.BreakGlassLogPage })),
);
const RetentionPage = lazy(() => import('./features/retention/RetentionPage').then((m) => ({ default: m.RetentionPage })));

export function App() {
  const { t } = useTranslation();
  const auth = useAuth();
  const roles = useStaffRoles();
  const queryClient = useQueryClient();
  const subject = auth.user?.profile.sub;
  const route = useRoute();
  // The IdP ended the login while the app was open (an idle logout says so in its own words).
  const loginEnded = useSessionEnded();
  const signedOutReason = useSignedOutReason();
  const sessionEnded = loginEnded && signedOutReason !== 'idle';

  // One person's clients must never be on screen for the next: drop cached data when the user changes.
  useEffect(() => () => queryClient.clear(), [queryClient, subject]);

  // Without a stored session or an authorization response to redeem, the visitor is signed out:
  // show the landing page at once instead of a spinner while the provider reads its store.
  const [mayBeSignedIn] = useState(() => hasAuthParams() || currentAccessToken() !== undefined);

  const idle = auth.isAuthenticated && <IdleLogout />;

  // The public's pages need no login and look the same signed in or not.
  if (isPublic(route)) {
    return (
      <AppShell nav={<PublicNav current={route.name} />} routeKey={routeKey(route)}>
        <ScreenTitle title={`nav.${route.name as 'privacyNotice' | 'newsletter' | 'unsubscribe'}`} />
        {idle}
        <PublicScreen route={route} />
      </AppShell>
    );
  }

  if ((auth.isLoading && mayBeSignedIn) || auth.activeNavigator) {
    return (
      <AppShell>
        <Spinner aria-label={t('app.loading')} />
      </AppShell>
    );
  }

  if (!auth.isAuthenticated && sessionEnded) {
    return (
      <AppShell nav={<PublicNav current={route.name} />} routeKey={routeKey(route)}>
        <ScreenTitle title={null} />
        <SessionEnded />
      </AppShell>
    );
  }

  if (!auth.isAuthenticated) {
    return (
      <AppShell nav={<PublicNav current={route.name} />} routeKey={routeKey(route)}>
        {route.name === 'myData' ? (
          <>
            <ScreenTitle title="nav.myData" />
            <MyDataSignIn />
          </>
        ) : (
          <LandingPage />
        )}
      </AppShell>
    );
  }

  // A person without a staff role signed in with BankID: their own data, nothing else.
  if (roles.length === 0) {
    return (
      <AppShell nav={<PublicNav current="myData" />} routeKey="myData">
        <ScreenTitle title="nav.myData" />
        {idle}
        <MyDataPage />
      </AppShell>
    );
  }

  const screen = screenOf(route);
  return (
    <AppShell nav={<AppNav roles={roles} current={screen} />} routeKey={routeKey(route)}>
      <ScreenTitle title={screen ? `nav.${screen}` : null} />
      {idle}
      <Suspense fallback={<Spinner aria-label={t('app.loading')} />}>
        <Screen route={route} roles={roles} />
      </Suspense>
    </AppShell>
  );
}

function PublicScreen({ route }: { route: Route }) {
  switch (route.name) {
    case 'newsletter':
      return <SignUpPage />;
    case 'unsubscribe':
      return <UnsubscribePage />;
    default:
      return <PrivacyNoticePage />;
  }
}

function routeKey(route: Route): string {
  return 'id' in route ? `${route.name}:${route.id}` : route.name;
}

type TitleKey = `nav.${ScreenName | 'privacyNotice' | 'newsletter' | 'unsubscribe' | 'myData'}`;

/** The tab's title names the screen, never a person. */
function ScreenTitle({ title }: { title: TitleKey | null }) {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = title ? `${t(title)} – ${t('app.title')}` : t('app.title');
  }, [title, t, i18n.language]);
  return null;
}

function Screen({ route, roles }: { route: Route; roles: readonly StaffRole[] }) {
  const { t } = useTranslation();
  const screens = screensFor(roles);
  const allowed = (name: ReturnType<typeof screenOf>) => name !== null && screens.includes(name);

  if (route.name === 'home') {
    const first = screens[0];
    if (first) return <Screen route={{ name: first }} roles={roles} />;
  }
  if (route.name !== 'home' && route.name !== 'notFound' && route.name !== 'client' && !allowed(screenOf(route))) {
    return <NotAvailable />;
  }
  switch (route.name) {
    case 'clients':
      return <ClientsScreen roles={roles} />;
    case 'client':
      return <ClientPage id={route.id} consentHistory={screens.includes('newsletters')} />;
    case 'waitlist':
      return <WaitlistPage />;
    case 'waitlistEntry':
      return <WaitlistEntryPage id={route.id} />;
    case 'statistics':
      return <StatisticsPage />;
    case 'activities':
      return <ActivitiesPage />;
    case 'activity':
      return <ActivityPage id={route.id} />;
    case 'requests':
      return <RequestsPage />;
    case 'request':
      return <RequestPage id={route.id} />;
    case 'breaches':
      return <BreachesPage />;
    case 'breach':
      return <BreachPage id={route.id} />;
    case 'newsletters':
      return <NewslettersPage />;
    case 'consentHistory':
      return <ConsentHistoryPage personId={route.id} />;
    case 'audit':
      return <BreakGlassLogPage />;
    case 'retention':
      return <RetentionPage />;
    default:
      return (
        <section className="stack" aria-labelledby="not-found-heading">
          <Heading level={1} data-size="lg" id="not-found-heading">
            {t('notFound.heading')}
          </Heading>
          <Paragraph>{t('notFound.text')}</Paragraph>
        </section>
      );
  }
}

function ClientsScreen({ roles }: { roles: readonly StaffRole[] }) {
  const canRegister = canRegisterClients(roles);
  return (
    <div className="workspace">
      <MyClientsPage canRegister={canRegister} />
      {canRegister && <RegisterClientForm />}
    </div>
  );
}

function NotAvailable() {
  const { t } = useTranslation();
  return (
    <section className="stack" aria-labelledby="not-available-heading">
      <Heading level={1} data-size="lg" id="not-available-heading">
        {t('notAvailable.heading')}
      </Heading>
      <Paragraph>{t('notAvailable.text')}</Paragraph>
    </section>
  );
}

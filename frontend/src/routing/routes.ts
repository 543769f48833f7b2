// The SPA's screens and their paths. Paths carry ids only, never a name or an identifier.

export type Route =
  | { name: 'home' }
  | { name: 'clients' }
  | { name: 'client'; id: string }
  | { name: 'waitlist' }
  | { name: 'waitlistEntry'; id: string }
  | { name: 'statistics' }
  | { name: 'activities' }
  | { name: 'activity'; id: string }
  | { name: 'requests' }
  | { name: 'request'; id: string }
  | { name: 'breaches' }
  | { name: 'breach'; id: string }
  | { name: 'newsletters' }
  | { name: 'consentHistory'; id: string }
  | { name: 'audit' }
  | { name: 'retention' }
  | { name: 'privacyNotice' }
  | { name: 'newsletter' }
  | { name: 'unsubscribe' }
  | { name: 'myData' }
  | { name: 'notFound' };

/** Screens anyone may open without signing in (the public's pages). */
export const PUBLIC_ROUTES = ['privacyNotice', 'newsletter', 'unsubscribe'] as const;

export function isPublic(route: Route): boolean {
  return (PUBLIC_ROUTES as readonly string[]).includes(route.name);
}

const ID = '([0-9a-fA-F-]{36})';
const patterns: [RegExp, (id: string) => Route][] = [
  [/^\/?$/, () => ({ name: 'home' })],
  [/^\/clients\/?$/, () => ({ name: 'clients' })],
  [new RegExp(`^/clients/${ID}$`), (id) => ({ name: 'client', id })],
  [/^\/waitlist\/?$/, () => ({ name: 'waitlist' })],
  [new RegExp(`^/waitlist/${ID}$`), (id) => ({ name: 'waitlistEntry', id })],
  [/^\/statistics\/?$/, () => ({ name: 'statistics' })],
  [/^\/activities\/?$/, () => ({ name: 'activities' })],
  [new RegExp(`^/activities/${ID}$`), (id) => ({ name: 'activity', id })],
  [/^\/requests\/?$/, () => ({ name: 'requests' })],
  [new RegExp(`^/requests/${ID}$`), (id) => ({ name: 'request', id })],
  [/^\/breaches\/?$/, () => ({ name: 'breaches' })],
  [new RegExp(`^/breaches/${ID}$`), (id) => ({ name: 'breach', id })],
  [/^\/newsletters\/?$/, () => ({ name: 'newsletters' })],
  [new RegExp(`^/newsletters/clients/${ID}$`), (id) => ({ name: 'consentHistory', id })],
  [/^\/audit\/?$/, () => ({ name: 'audit' })],
  [/^\/retention\/?$/, () => ({ name: 'retention' })],
  // Public and client paths are in Norwegian: the privacy notice and newsletters link to them.
  [/^\/personvern\/?$/, () => ({ name: 'privacyNotice' })],
  [/^\/nyhetsbrev\/?$/, () => ({ name: 'newsletter' })],
  [/^\/nyhetsbrev\/avmelding\/?$/, () => ({ name: 'unsubscribe' })],
  [/^\/mine-opplysninger\/?$/, () => ({ name: 'myData' })],
];

export function parseRoute(pathname: string): Route {
  for (const [pattern, make] of patterns) {
    const match = pattern.exec(pathname);
    if (match) return make(match[1] ?? '');
  }
  return { name: 'notFound' };
}

export function pathOf(route: Route): string {
  switch (route.name) {
    case 'home':
    case 'notFound':
      return '/';
    case 'clients':
      return '/clients';
    case 'client':
      return `/clients/${route.id}`;
    case 'waitlist':
      return '/waitlist';
    case 'waitlistEntry':
      return `/waitlist/${route.id}`;
    case 'statistics':
      return '/statistics';
    case 'activities':
      return '/activities';
    case 'activity':
      return `/activities/${route.id}`;
    case 'requests':
      return '/requests';
    case 'request':
      return `/requests/${route.id}`;
    case 'breaches':
      return '/breaches';
    case 'breach':
      return `/breaches/${route.id}`;
    case 'newsletters':
      return '/newsletters';
    case 'consentHistory':
      return `/newsletters/clients/${route.id}`;
    case 'audit':
      return '/audit';
    case 'retention':
      return '/retention';
    case 'privacyNotice':
      return '/personvern';
    case 'newsletter':
      return '/nyhetsbrev';
    case 'unsubscribe':
      return '/nyhetsbrev/avmelding';
    case 'myData':
      return '/mine-opplysninger';
  }
}

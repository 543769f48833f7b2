// Which screens each role works in (DESIGN.md §2, need to know). The services enforce it; this
// only keeps the menu to what a person can use.
import type { StaffRole } from '../../auth/roles';
import type { Route } from '../../routing/routes';

export type Screen =
  | 'clients'
  | 'waitlist'
  | 'activities'
  | 'requests'
  | 'breaches'
  | 'newsletters'
  | 'statistics'
  | 'audit'
  | 'retention';

const byRole: Record<StaffRole, Screen[]> = {
  counsellor: ['clients', 'activities'],
  coordinator: ['clients', 'waitlist', 'activities'],
  manager: ['clients', 'waitlist', 'activities', 'requests', 'breaches', 'newsletters', 'statistics', 'audit'],
  // The DPO sees no client details: requests, breaches, audit views and retention only.
  dpo: ['requests', 'breaches', 'statistics', 'audit', 'retention'],
};
const order: Screen[] = [
  'clients',
  'waitlist',
  'activities',
  'requests',
  'breaches',
  'newsletters',
  'statistics',
  'audit',
  'retention',
];

export function screensFor(roles: readonly StaffRole[]): Screen[] {
  const allowed = new Set(roles.flatMap((role) => byRole[role]));
  return order.filter((screen) => allowed.has(screen));
}

export function screenOf(route: Route): Screen | null {
  switch (route.name) {
    case 'clients':
    case 'client':
      return 'clients';
    case 'waitlist':
    case 'waitlistEntry':
      return 'waitlist';
    case 'activities':
    case 'activity':
      return 'activities';
    case 'statistics':
      return 'statistics';
    case 'requests':
    case 'request':
      return 'requests';
    case 'breaches':
    case 'breach':
      return 'breaches';
    case 'newsletters':
    case 'consentHistory':
      return 'newsletters';
    case 'audit':
      return 'audit';
    case 'retention':
      return 'retention';
    default:
      return null;
  }
}

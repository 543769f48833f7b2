// Which screens each role works in (DESIGN.md §2, need to know). The services enforce it; this
// only keeps the menu to what a person can use.
import type { StaffRole } from '../../auth/roles';
import type { Route } from '../../routing/routes';

export type Screen = 'clients' | 'waitlist' | 'activities' | 'statistics';

const byRole: Record<StaffRole, Screen[]> = {
  counsellor: ['clients', 'activities'],
  coordinator: ['clients', 'waitlist', 'activities'],
  manager: ['clients', 'waitlist', 'activities', 'statistics'],
  dpo: ['statistics'],
};
const order: Screen[] = ['clients', 'waitlist', 'activities', 'statistics'];

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
    default:
      return null;
  }
}

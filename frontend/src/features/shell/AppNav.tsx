// The main menu: the screens the signed-in person's roles give them.
import { useTranslation } from 'react-i18next';

import type { StaffRole } from '../../auth/roles';
import { RouteLink } from '../../routing/RouteLink';
import type { Route } from '../../routing/routes';
import { screensFor, type Screen } from './screens';

const target: Record<Screen, Route> = {
  clients: { name: 'clients' },
  waitlist: { name: 'waitlist' },
  activities: { name: 'activities' },
  requests: { name: 'requests' },
  breaches: { name: 'breaches' },
  newsletters: { name: 'newsletters' },
  statistics: { name: 'statistics' },
  audit: { name: 'audit' },
  retention: { name: 'retention' },
};

export function AppNav({ roles, current }: { roles: readonly StaffRole[]; current: Screen | null }) {
  const { t } = useTranslation();
  const screens = screensFor(roles);
  if (screens.length === 0) return null;
  return (
    <nav className="app-nav" aria-label={t('nav.label')}>
      <ul>
        {screens.map((screen) => (
          <li key={screen}>
            <RouteLink to={target[screen]} current={screen === current}>
              {t(`nav.${screen}`)}
            </RouteLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

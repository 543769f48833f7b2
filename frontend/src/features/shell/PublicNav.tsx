// The menu of the public's and the client's pages: the privacy notice, newsletters, my data.
import { useTranslation } from 'react-i18next';

import { RouteLink } from '../../routing/RouteLink';
import type { Route } from '../../routing/routes';

const items = ['myData', 'privacyNotice', 'newsletter'] as const;
type Item = (typeof items)[number];

export function PublicNav({ current }: { current: Route['name'] }) {
  const { t } = useTranslation();
  const active: Item | undefined = current === 'unsubscribe' ? 'newsletter' : items.find((item) => item === current);
  return (
    <nav className="app-nav" aria-label={t('nav.publicLabel')}>
      <ul>
        {items.map((item) => (
          <li key={item}>
            <RouteLink to={{ name: item }} current={item === active}>
              {t(`nav.${item}`)}
            </RouteLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

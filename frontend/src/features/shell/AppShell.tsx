// Page frame shared by every screen: skip link, header landmark, menu, and the main landmark.
// On moving to another screen, focus goes to main so keyboards and screen readers start there.
import { SkipLink } from '@digdir/designsystemet-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { AppHeader } from './AppHeader';

export function AppShell({ children, nav, routeKey }: { children: ReactNode; nav?: ReactNode; routeKey?: string }) {
  const { t } = useTranslation();
  const main = useRef<HTMLElement>(null);
  const previous = useRef(routeKey);

  // Only a move from one screen to another moves focus; arriving (or signing in) leaves it at the top.
  useEffect(() => {
    const moved = previous.current !== undefined && previous.current !== routeKey;
    previous.current = routeKey;
    if (!moved) return;
    main.current?.focus();
    window.scrollTo(0, 0);
  }, [routeKey]);

  return (
    <>
      <SkipLink href="#main">{t('app.skipToContent')}</SkipLink>
      <AppHeader nav={nav} />
      <main id="main" ref={main} tabIndex={-1} className="app-main">
        {children}
      </main>
    </>
  );
}

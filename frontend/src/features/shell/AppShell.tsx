// Page frame shared by every screen: skip link, header landmark, menu, and the main landmark.
// On moving to another screen, focus goes to main so keyboards and screen readers start there.
import { SkipLink } from '@digdir/designsystemet-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { AppHeader } from './AppHeader';

export function AppShell({ children, nav, routeKey }: { children: ReactNode; nav?: ReactNode; routeKey?: string }) {
  const { t } = useTranslation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
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

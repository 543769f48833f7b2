// Page frame shared by every screen: skip link, header landmark, and the main landmark.
import { SkipLink } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { AppHeader } from './AppHeader';

export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <SkipLink href="#main">{t('app.skipToContent')}</SkipLink>
      <AppHeader />
      <main id="main" tabIndex={-1} className="app-main">
        {children}
      </main>
    </>
  );
}

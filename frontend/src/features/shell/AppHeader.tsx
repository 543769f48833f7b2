// The banner: app name, language switch, who is signed in with a way out, and the menu.
import { Button, Paragraph } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

export function AppHeader({ nav }: { nav?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const auth = useAuth();
  const profile = auth.user?.profile;
  const name = profile?.name ?? profile?.preferred_username ?? profile?.sub;
  const otherLanguage = t('language.switchToLang');

  return (
    <header className="app-header">
      <div className="app-header__inner">
        <span className="app-header__name">{t('app.name')}</span>
        <div className="app-header__actions">
          {auth.isAuthenticated && name && (
            <Paragraph data-size="sm" className="app-header__user">
              {t('header.signedInAs', { name })}
            </Paragraph>
          )}
          <Button
            variant="tertiary"
            data-size="sm"
            lang={otherLanguage}
            onClick={() => void i18n.changeLanguage(otherLanguage)}
          >
            {t('language.switchTo')}
          </Button>
          {auth.isAuthenticated && (
            <Button variant="secondary" data-size="sm" onClick={() => void auth.signoutRedirect()}>
              {t('header.signOut')}
            </Button>
          )}
        </div>
      </div>
      {nav && <div className="app-header__nav">{nav}</div>}
    </header>
  );
}

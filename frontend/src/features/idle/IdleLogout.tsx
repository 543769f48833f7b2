// Idle logout: after the configured time without activity a dialog counts down, and unless the
// person chooses to stay, Vern forgets their tokens and cached data and says why on the way out.
import { Button, Dialog, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useIdleTimer } from 'react-idle-timer';
import { useAuth } from 'react-oidc-context';
import { useTranslation } from 'react-i18next';

import { navigate } from '../../routing/navigation';
import { idleTimeoutMs, idleWarningMs } from './config';
import { markSignedOutForIdleness } from './signedOut';

export function IdleLogout() {
  const { t } = useTranslation();
  const auth = useAuth();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const signingOut = useRef(false);

  async function signOut() {
    signingOut.current = true;
    dialog.current?.close();
    markSignedOutForIdleness();
    queryClient.clear();
    // The refresh token must not outlive the session; the IdP may be unreachable, so best effort.
    await auth.revokeTokens(['refresh_token']).catch(() => undefined);
    await auth.removeUser();
    navigate({ name: 'home' });
  }

  const timer = useIdleTimer({
    timeout: idleTimeoutMs,
    promptBeforeIdle: idleWarningMs,
    onPrompt: () => {
      setSecondsLeft(Math.ceil(idleWarningMs / 1000));
      dialog.current?.showModal();
    },
    onIdle: () => void signOut(),
    throttle: 500,
  });

  const warning = secondsLeft !== null;
  useEffect(() => {
    if (!warning) return;
    const tick = window.setInterval(() => {
      setSecondsLeft(Math.max(0, Math.ceil(timer.getRemainingTime() / 1000)));
    }, 1000);
    return () => window.clearInterval(tick);
  }, [warning, timer]);

  // Closing the dialog in any way but signing out (the button, Escape) means "I'm still here".
  function onClose() {
    if (signingOut.current) return;
    setSecondsLeft(null);
    timer.activate();
  }

  return (
    <Dialog
      ref={dialog}
      aria-labelledby="idle-heading"
      aria-describedby="idle-text"
      closeButton={false}
      closedby="closerequest"
      onClose={onClose}
    >
      <Heading level={2} data-size="sm" id="idle-heading">
        {t('idle.heading')}
      </Heading>
      <Paragraph id="idle-text">
        {t('idle.text')}{' '}
        <span role="timer">{t('idle.countdown', { count: secondsLeft ?? 0 })}</span>
      </Paragraph>
      <div className="button-row">
        <Button onClick={() => dialog.current?.close()}>{t('idle.stay')}</Button>
        <Button
          variant="secondary"
          onClick={() => {
            signingOut.current = true;
            void auth.signoutRedirect();
          }}
        >
          {t('header.signOut')}
        </Button>
      </div>
    </Dialog>
  );
}

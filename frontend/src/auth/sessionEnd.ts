// Whether the login ended at the identity provider while the app was open (its session expired,
// the refresh token was revoked, the IdP was restarted): held in memory only, so the shell can say
// so and offer to log in again instead of failing screen by screen.
import { useSyncExternalStore } from 'react';

let ended = false;
const listeners = new Set<() => void>();

function set(value: boolean) {
  if (ended === value) return;
  ended = value;
  listeners.forEach((listener) => listener());
}

export function markSessionEnded(): void {
  set(true);
}

export function clearSessionEnded(): void {
  set(false);
}

export function useSessionEnded(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => ended,
  );
}

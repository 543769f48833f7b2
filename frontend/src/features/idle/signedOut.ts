// Why the last session ended, held in memory for the landing page to say so (never stored).
import { useSyncExternalStore } from 'react';

let reason: 'idle' | null = null;
const listeners = new Set<() => void>();

export function markSignedOutForIdleness() {
  reason = 'idle';
  listeners.forEach((listener) => listener());
}

export function clearSignedOutReason() {
  reason = null;
  listeners.forEach((listener) => listener());
}

export function useSignedOutReason() {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => reason,
  );
}

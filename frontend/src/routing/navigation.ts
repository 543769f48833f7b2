// History-API navigation: the current route as React state, and a way to move to another.
import { useSyncExternalStore } from 'react';

import { parseRoute, pathOf, type Route } from './routes';

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(route: Route) {
  const path = pathOf(route);
  if (path !== window.location.pathname) window.history.pushState({}, '', path);
  listeners.forEach((listener) => listener());
}

/** Replaces the current history entry with `path` (after a login: no way back to ?code=). */
export function replaceRoute(path: string) {
  window.history.replaceState({}, document.title, path);
  listeners.forEach((listener) => listener());
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function useRoute(): Route {
  return parseRoute(usePathname());
}

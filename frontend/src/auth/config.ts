// OIDC settings for the SPA (public client, authorization code + PKCE), overridable via VITE_OIDC_*.
import { UserManager, WebStorageStateStore, type User, type UserManagerSettings } from 'oidc-client-ts';

import { replaceRoute } from '../routing/navigation';
import { parseRoute, pathOf } from '../routing/routes';

const env = import.meta.env;
const origin = window.location.origin;

export const oidcAuthority = env.VITE_OIDC_AUTHORITY ?? 'http://localhost:9000';
export const oidcClientId = env.VITE_OIDC_CLIENT_ID ?? 'vern-spa';

/** Each service's audience (RFC 8707 resource indicator); a token is only ever good for one of them. */
export const AUDIENCES = {
  registry: 'urn:vern:registry',
  consent: 'urn:vern:consent',
  dsar: 'urn:vern:dsar',
  scheduler: 'urn:vern:scheduler',
} as const;
export type Service = keyof typeof AUDIENCES;

// The login asks for every service's base scope and names every audience, so the refresh token
// can later be exchanged for a token per service; the code itself is redeemed for the registry.
export const oidcScope = env.VITE_OIDC_SCOPE ?? 'openid profile registry consent dsar scheduler';
const loginAudience = AUDIENCES.registry;

// The signed-in user (ID token, registry token, refresh token) lives in sessionStorage: gone when
// the tab closes. Tokens for the other services stay in memory only (auth/tokens.ts).
const userStore = new WebStorageStateStore({ store: window.sessionStorage });
// A login under way (its PKCE verifier and the screen to return to) stays in this tab as well.
const stateStore = new WebStorageStateStore({ store: window.sessionStorage });

export const oidcSettings: UserManagerSettings = {
  authority: oidcAuthority,
  client_id: oidcClientId,
  redirect_uri: env.VITE_OIDC_REDIRECT_URI ?? `${origin}/`,
  post_logout_redirect_uri: env.VITE_OIDC_POST_LOGOUT_REDIRECT_URI ?? `${origin}/`,
  scope: oidcScope,
  resource: Object.values(AUDIENCES),
  extraTokenParams: { resource: loginAudience },
  userStore,
  stateStore,
  // The refresh token rotates and a reused one revokes the whole grant, so every use of it goes
  // through one queue in auth/tokens.ts instead of oidc-client-ts's own timer.
  automaticSilentRenew: false,
};

export const userManager = new UserManager(oidcSettings);

/**
 * What a login carries through the IdP to come back to the same screen: the route's path (names and
 * ids only, as in the address bar), kept in this tab's storage with the login's state, never sent.
 */
export interface LoginState {
  returnTo: string;
}

export function loginStateFor(pathname: string): LoginState {
  return { returnTo: pathOf(parseRoute(pathname)) };
}

function returnPath(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null || !('returnTo' in state)) return undefined;
  const { returnTo } = state;
  if (typeof returnTo !== 'string') return undefined;
  const route = parseRoute(returnTo);
  return route.name === 'notFound' ? undefined : pathOf(route);
}

/**
 * Drops ?code=&state= so a reload or a shared URL never replays the authorization response, and
 * returns to the screen the login started from.
 */
export function onSigninCallback(user: User | undefined): void {
  replaceRoute(returnPath(user?.state) ?? window.location.pathname);
}

/** The signed-in user's registry token as stored, read without waiting for the provider. */
export function currentAccessToken(): string | undefined {
  const stored = window.sessionStorage.getItem(`oidc.user:${oidcAuthority}:${oidcClientId}`);
  if (!stored) return undefined;
  try {
    const parsed: unknown = JSON.parse(stored);
    if (typeof parsed === 'object' && parsed !== null && 'access_token' in parsed) {
      return typeof parsed.access_token === 'string' ? parsed.access_token : undefined;
    }
  } catch {
    // A corrupt entry means no usable session.
  }
  return undefined;
}

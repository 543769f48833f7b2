// OIDC settings for the SPA (public client, authorization code + PKCE), overridable via VITE_OIDC_*.
import { WebStorageStateStore } from 'oidc-client-ts';
import type { AuthProviderProps } from 'react-oidc-context';

const env = import.meta.env;
const origin = window.location.origin;

export const oidcAuthority = env.VITE_OIDC_AUTHORITY ?? 'http://localhost:9000';
export const oidcClientId = env.VITE_OIDC_CLIENT_ID ?? 'vern-spa';
// RFC 8707 resource indicator: the access token's audience, asked for at both endpoints.
const resource = env.VITE_OIDC_RESOURCE ?? 'urn:vern:registry';

// Tokens live in sessionStorage (oidc-client-ts's default, made explicit): gone when the tab closes.
const userStore = new WebStorageStateStore({ store: window.sessionStorage });

export const oidcConfig: AuthProviderProps = {
  authority: oidcAuthority,
  client_id: oidcClientId,
  redirect_uri: env.VITE_OIDC_REDIRECT_URI ?? `${origin}/`,
  post_logout_redirect_uri: env.VITE_OIDC_POST_LOGOUT_REDIRECT_URI ?? `${origin}/`,
  scope: env.VITE_OIDC_SCOPE ?? 'openid profile registry',
  extraQueryParams: { resource },
  extraTokenParams: { resource },
  userStore,
  onSigninCallback: () => {
    // Drop ?code=&state= so a reload or a shared URL never replays the authorization response.
    window.history.replaceState({}, document.title, window.location.pathname);
  },
};

/** The signed-in user's access token, read from the store the AuthProvider writes to. */
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

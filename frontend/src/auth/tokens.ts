// One access token per service audience, from the login's rotating refresh token (RFC 8707).
//
// The registry token is the login's own (stored with the user by oidc-client-ts); consent, dsar and
// scheduler tokens are asked for with `resource=` and kept in memory only. The dev IdP rotates the
// refresh token on every use and revokes the grant when an old one is replayed, so every exchange runs
// in one queue, and each rotated refresh token is written back to the stored user at once.
//
// When the IdP refuses the refresh token (invalid_grant: its session ended, the token was revoked or
// expired, the IdP was restarted), the login is over: the stored user and the in-memory tokens are
// dropped and the shell asks the person to log in again (auth/sessionEnd.ts).
import { ErrorResponse, OidcClient, type RefreshState, type User } from 'oidc-client-ts';

import { AUDIENCES, oidcScope, oidcSettings, userManager, type Service } from './config';
import { markSessionEnded } from './sessionEnd';

/** Renew this many seconds before a token expires, so no request goes out with a dying token. */
const EXPIRY_MARGIN_SECONDS = 60;

interface HeldToken {
  accessToken: string;
  expiresAt: number;
  subject: string;
}

const held = new Map<Exclude<Service, 'registry'>, HeldToken>();
const oidcClient = new OidcClient(oidcSettings);
let queue: Promise<unknown> = Promise.resolve();

function inQueue<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

const nowSeconds = () => Date.now() / 1000;

function fresh(expiresAt: number | undefined): boolean {
  return expiresAt !== undefined && expiresAt - EXPIRY_MARGIN_SECONDS > nowSeconds();
}

/** The login cannot be renewed any more: forget it, and let the shell say so. */
async function endSession(): Promise<undefined> {
  markSessionEnded();
  forgetServiceTokens();
  await userManager.removeUser();
  return undefined;
}

/** Runs one use of the refresh token; a refusal by the IdP ends the session (a network error does not). */
async function refreshing<T>(refresh: () => Promise<T>): Promise<T> {
  try {
    return await refresh();
  } catch (error) {
    if (error instanceof ErrorResponse && error.error === 'invalid_grant') await endSession();
    throw error;
  }
}

async function registryToken(): Promise<string | undefined> {
  const user = await userManager.getUser();
  if (!user) return undefined;
  if (fresh(user.expires_at)) return user.access_token;
  return inQueue(async () => {
    const current = await userManager.getUser();
    if (!current) return undefined;
    if (fresh(current.expires_at)) return current.access_token;
    if (!current.refresh_token) return endSession();
    // signinSilent stores the renewed user (and its rotated refresh token) and tells the AuthProvider.
    const renewed = await refreshing(() => userManager.signinSilent({ resource: AUDIENCES.registry }));
    return renewed?.access_token;
  });
}

async function exchange(service: Exclude<Service, 'registry'>, user: User): Promise<HeldToken | undefined> {
  if (!user.refresh_token) return endSession();
  // RefreshState is a type only at runtime; its shape is the stored user's, asking for every scope.
  const state: RefreshState = {
    refresh_token: user.refresh_token,
    ...(user.id_token === undefined ? {} : { id_token: user.id_token }),
    session_state: user.session_state,
    scope: oidcScope,
    profile: user.profile,
  };
  const response = await refreshing(() => oidcClient.useRefreshToken({ state, resource: AUDIENCES[service] }));
  if (response.refresh_token) {
    user.refresh_token = response.refresh_token;
    await userManager.storeUser(user);
  }
  const expiresAt = response.expires_at ?? nowSeconds() + (response.expires_in ?? 0);
  return { accessToken: response.access_token, expiresAt, subject: user.profile.sub };
}

async function serviceToken(service: Exclude<Service, 'registry'>): Promise<string | undefined> {
  const user = await userManager.getUser();
  if (!user) return undefined;
  const heldToken = held.get(service);
  if (heldToken && heldToken.subject === user.profile.sub && fresh(heldToken.expiresAt)) {
    return heldToken.accessToken;
  }
  return inQueue(async () => {
    const current = await userManager.getUser();
    if (!current) return undefined;
    const again = held.get(service);
    if (again && again.subject === current.profile.sub && fresh(again.expiresAt)) return again.accessToken;
    const obtained = await exchange(service, current);
    if (obtained) held.set(service, obtained);
    return obtained?.accessToken;
  });
}

/** A valid access token for the service, renewed first when it is about to expire; none when signed out. */
export function accessToken(service: Service): Promise<string | undefined> {
  return service === 'registry' ? registryToken() : serviceToken(service);
}

/** Forgets the in-memory tokens: on sign-out and whenever another person signs in. */
export function forgetServiceTokens(): void {
  held.clear();
}

userManager.events.addUserUnloaded(forgetServiceTokens);
userManager.events.addUserSignedOut(forgetServiceTokens);

// DEV ONLY: oidc-provider configuration for Vern's dev identity provider (see docs/conventions.md).
import { readFileSync } from 'node:fs';

import { errors } from 'oidc-provider';

const here = new URL('.', import.meta.url);

// Audiences (RFC 8707 resource indicators) and the scopes each one understands.
export const RESOURCES = {
  'urn:vern:registry': ['registry', 'registry:internal', 'journal'],
  'urn:vern:consent': ['consent', 'consent:internal'],
  'urn:vern:dsar': ['dsar', 'dsar:internal', 'journal'],
  'urn:vern:scheduler': ['scheduler'],
};
export const DEFAULT_RESOURCE = 'urn:vern:registry';

export const SPA_ORIGIN = 'http://localhost:8080';

// People log in through these two public clients and only ever get the base scopes.
const PERSON_SCOPES = ['registry', 'consent', 'dsar', 'scheduler'];

// Resource scopes each client may be granted; a client asking for any other resource gets invalid_target.
const CLIENT_SCOPES = {
  'vern-spa': PERSON_SCOPES,
  'vern-cli': PERSON_SCOPES,
  'vern-registry': ['consent:internal'],
  'vern-consent': ['registry:internal'],
  'vern-dsar': ['registry:internal', 'consent:internal'],
  'vern-scheduler': ['registry:internal', 'consent:internal', 'dsar:internal'],
  'journal-vendor': ['journal'],
};

const MACHINE_CLIENTS = ['vern-registry', 'vern-consent', 'vern-dsar', 'vern-scheduler', 'journal-vendor'];
const PUBLIC_CLIENTS = new Set(['vern-spa', 'vern-cli']);

export const FIRST_PARTY_CLIENTS = new Set(Object.keys(CLIENT_SCOPES));

const clients = [
  ...MACHINE_CLIENTS.map((clientId) => ({
    client_id: clientId,
    client_secret: `dev-secret-${clientId}`,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  {
    client_id: 'vern-spa',
    client_name: 'Vern',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${SPA_ORIGIN}/`, `${SPA_ORIGIN}/callback`],
    post_logout_redirect_uris: [`${SPA_ORIGIN}/`],
  },
  {
    client_id: 'vern-cli',
    client_name: 'vern token',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1:8765/callback'],
  },
];

export function loadPersonas() {
  const file = process.env.VERN_PERSONAS || new URL('personas.json', here);
  const { personas } = JSON.parse(readFileSync(file, 'utf8'));
  return personas;
}

function allowedScopes(client, resource) {
  const wanted = new Set(CLIENT_SCOPES[client.clientId] ?? []);
  return RESOURCES[resource].filter((scope) => wanted.has(scope));
}

export function buildConfiguration({ personas, cookieKeys }) {
  const bySub = new Map(personas.map((persona) => [persona.sub, persona]));
  const jwks = JSON.parse(readFileSync(new URL('jwks.json', here), 'utf8'));

  return {
    clients,
    jwks: { keys: jwks.keys },
    cookies: { keys: cookieKeys },
    pkce: { required: () => true },
    responseTypes: ['code'],
    acrValues: ['low', 'substantial', 'urn:bankid:bid;LOA=4'],
    claims: {
      acr: null,
      sid: null,
      auth_time: null,
      iss: null,
      // ID tokens always say how the person logged in, so the SPA can tell the user.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone'],

    async findAccount(_ctx, sub) {
      const persona = bySub.get(sub);
      if (!persona) return undefined;
      return {
        accountId: persona.sub,
        async claims() {
          return {
            sub: persona.sub,
            name: persona.name,
            email: persona.email,
            email_verified: true,
            phone_number: persona.phone,
            phone_number_verified: true,
          };
        },
      };
    },

    async extraTokenClaims(ctx, token) {
      // Machine tokens (client credentials) carry no persona claims.
      if (!token.accountId) return undefined;
      const persona = bySub.get(token.accountId);
      if (!persona) return undefined;
      // amr/acr as recorded when the session logged in, carried by the code or refresh token.
      const source = ctx?.oidc?.entities?.AuthorizationCode ?? ctx?.oidc?.entities?.RefreshToken;
      const claims = {
        amr: source?.amr ?? persona.amr,
        acr: source?.acr ?? persona.acr,
      };
      if (persona.roles.length) claims.roles = persona.roles;
      if (persona.nnin) claims.nnin = persona.nnin;
      return claims;
    },

    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        async defaultResource(_ctx, client, oneOf) {
          if (oneOf) return oneOf.includes(DEFAULT_RESOURCE) ? DEFAULT_RESOURCE : oneOf[0];
          if (PUBLIC_CLIENTS.has(client.clientId)) return DEFAULT_RESOURCE;
          // A machine client that may reach exactly one resource gets it; others must ask.
          const reachable = Object.keys(RESOURCES).filter((r) => allowedScopes(client, r).length);
          return reachable.length === 1 ? reachable[0] : undefined;
        },
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx, resource, client) {
          if (!RESOURCES[resource]) throw new errors.InvalidTarget('unknown resource');
          const scopes = allowedScopes(client, resource);
          if (!scopes.length) throw new errors.InvalidTarget('this client may not use this resource');
          return {
            audience: resource,
            scope: scopes.join(' '),
            accessTokenTTL: 60 * 60,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },

    // The SPA gets rotating refresh tokens (bound to the IdP session) so it can ask for other resources.
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },

    clientBasedCORS(_ctx, origin, client) {
      return origin === SPA_ORIGIN && client.clientId === 'vern-spa';
    },

    ttl: {
      AccessToken: 60 * 60,
      ClientCredentials: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 10 * 60,
      Session: 24 * 60 * 60,
      Grant: 24 * 60 * 60,
      RefreshToken(ctx, token, client) {
        const rotated = ctx?.oidc?.entities?.RotatedRefreshToken;
        if (rotated && client.clientAuthMethod === 'none' && !token.isSenderConstrained()) {
          return rotated.remainingTTL;
        }
        return 24 * 60 * 60;
      },
    },

    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },

    renderError,
  };
}

// Pages the provider renders itself, in Norwegian and without outside resources.

export function page(title, body) {
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Vern (utviklings-IdP)</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; line-height: 1.5; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #555; border-radius: 4px; }
  button { margin-top: 1.25rem; padding: .6rem 1.2rem; font-size: 1rem; background: #0b5394; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  button.secondary { background: #fff; color: #0b5394; border: 1px solid #0b5394; }
  :focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
  .error { color: #a40000; font-weight: 600; border-left: 4px solid #a40000; padding-left: .75rem; }
  .dev { margin-top: 2rem; padding: 1rem; background: #f3f3f3; border-radius: 4px; }
  code { font-size: .95em; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function htmlSafe(value) {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

async function renderError(ctx, out) {
  ctx.type = 'html';
  const details = Object.entries(out)
    .map(([key, value]) => `<dt>${htmlSafe(key)}</dt><dd>${htmlSafe(value)}</dd>`)
    .join('');
  ctx.body = page('Noe gikk galt', `<h1>Noe gikk galt</h1><dl>${details}</dl>`);
}

async function logoutSource(ctx, form) {
  ctx.body = page('Logg ut', `<h1>Vil du logge ut?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Ja, logg ut</button>
<button class="secondary" type="submit" form="op.logoutForm">Nei, forbli innlogget</button>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Logget ut', '<h1>Du er logget ut</h1><p>Du kan lukke dette vinduet.</p>');
}

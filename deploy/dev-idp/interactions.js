// DEV ONLY: the login page (Norwegian, accessible) and automatic consent for Vern's own clients.
import { FIRST_PARTY_CLIENTS, htmlSafe, page } from './config.js';

const MAX_FORM_BYTES = 4096;

const ROLE_LABELS = {
  counsellor: 'faglig veileder',
  coordinator: 'inntakskoordinator',
  manager: 'daglig leder',
  dpo: 'personvernombud',
};

function describe(persona) {
  if (persona.nnin) return 'bruker, BankID';
  const roles = persona.roles.map((role) => ROLE_LABELS[role] ?? role).join(', ');
  const secondFactor = persona.amr.length > 1 ? '' : ', uten andre faktor';
  return `${roles}${secondFactor}`;
}

function loginPage({ uid, username = '', failed = false, personas }) {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  const invalid = failed ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  const error = failed
    ? '<p id="login-error" class="error" role="alert">Feil brukernavn eller passord. Prøv igjen.</p>'
    : '';
  const hints = personas
    .map((p) => `<li><code>${htmlSafe(p.username)}</code> – ${htmlSafe(describe(p))}</li>`)
    .join('\n');
  return page('Logg inn', `<h1>Logg inn i Vern</h1>
${error}
<form method="post" action="${action}" novalidate>
  <label for="username">Brukernavn</label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${htmlSafe(username)}"${invalid}${username ? '' : ' autofocus'}>
  <label for="password">Passord</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${username ? ' autofocus' : ''}>
  <button type="submit">Logg inn</button>
</form>
<p><a href="/interaction/${encodeURIComponent(uid)}/abort">Avbryt innloggingen</a></p>
<section class="dev" aria-labelledby="dev-heading">
  <h2 id="dev-heading">Testbrukere (kun utvikling)</h2>
  <p>Alle har passordet <code>vern-dev</code>.</p>
  <ul>
${hints}
  </ul>
</section>`);
}

async function readForm(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw Object.assign(new Error('form too large'), { status: 413 });
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function noCache(ctx) {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
}

async function autoConsent(provider, ctx, details) {
  const { prompt, params, session, grantId } = details;
  if (!FIRST_PARTY_CLIENTS.has(params.client_id)) {
    ctx.status = 403;
    ctx.body = page('Ikke tillatt', '<h1>Ikke tillatt</h1><p>Denne klienten er ikke kjent.</p>');
    return;
  }
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  const result = { consent: { grantId: await grant.save() } };
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.respond = false;
}

export function interactionRoutes(provider, personas) {
  const byUsername = new Map(personas.map((persona) => [persona.username, persona]));
  const route = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/;

  return async function interactions(ctx, next) {
    const match = route.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match;
    noCache(ctx);

    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      ctx.status = 400;
      ctx.body = page('Innloggingen er utløpt', '<h1>Innloggingen er utløpt</h1><p>Gå tilbake til appen og start innloggingen på nytt.</p>');
      return undefined;
    }
    if (details.uid !== uid) {
      ctx.status = 400;
      ctx.body = page('Ugyldig forespørsel', '<h1>Ugyldig forespørsel</h1>');
      return undefined;
    }

    if (ctx.method === 'GET' && !action) {
      if (details.prompt.name === 'login') {
        ctx.type = 'html';
        ctx.body = loginPage({ uid, username: details.params.login_hint, personas });
        return undefined;
      }
      if (details.prompt.name === 'consent') return autoConsent(provider, ctx, details);
      ctx.status = 501;
      ctx.body = page('Ikke støttet', '<h1>Ikke støttet</h1>');
      return undefined;
    }

    if (ctx.method === 'POST' && action === '/login' && details.prompt.name === 'login') {
      const form = await readForm(ctx.req);
      const username = form.get('username') ?? '';
      const persona = byUsername.get(username);
      if (!persona || form.get('password') !== persona.password) {
        ctx.status = 401;
        ctx.type = 'html';
        ctx.body = loginPage({ uid, username, failed: true, personas });
        return undefined;
      }
      const result = {
        login: { accountId: persona.sub, amr: persona.amr, acr: persona.acr, remember: false },
      };
      await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return undefined;
    }

    if (ctx.method === 'GET' && action === '/abort') {
      const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
      await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return undefined;
    }

    ctx.status = 405;
    ctx.body = page('Ikke tillatt', '<h1>Ikke tillatt</h1>');
    return undefined;
  };
}

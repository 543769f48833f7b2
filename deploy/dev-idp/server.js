// DEV ONLY identity provider for Vern: panva's oidc-provider with the dev personas and clients.
// Never run this outside development: the signing key, secrets and passwords are all public.
import { createServer } from 'node:http';

if (process.env.NODE_ENV === 'production') {
  console.error('dev-idp: WARNING: refusing to start with NODE_ENV=production; this IdP is for development only.');
  process.exit(1);
}

// Imported after the guard so a production start does nothing at all.
const { default: Provider } = await import('oidc-provider');
const { buildConfiguration, loadPersonas } = await import('./config.js');
const { interactionRoutes } = await import('./interactions.js');

const port = Number.parseInt(process.env.PORT ?? '9000', 10);
const issuer = process.env.ISSUER ?? `http://localhost:${port}`;

const personas = loadPersonas();
const provider = new Provider(issuer, buildConfiguration({
  personas,
  cookieKeys: ['vern-dev-idp-cookie-key-not-secret'],
}));
provider.use(interactionRoutes(provider, personas));

const server = createServer(provider.callback());
server.listen(port, process.env.HOST, () => {
  console.log(`dev-idp listening on ${issuer}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

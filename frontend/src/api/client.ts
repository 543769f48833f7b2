// The typed API clients: generated types + openapi-fetch, bearer token attached.
import createClient, { type Middleware } from 'openapi-fetch';

import { currentAccessToken } from '../auth/config';
import type { paths as ConsentPaths } from './consent';
import type { paths as DsarPaths } from './dsar';
import type { paths } from './registry';

const bearerToken: Middleware = {
  onRequest({ request }) {
    const token = currentAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

// Same origin: Vite (dev/preview) or the ingress routes /registry to the service.
export const registry = createClient<paths>({ baseUrl: '' });
registry.use(bearerToken);

const consent = createClient<ConsentPaths>({ baseUrl: '' });
consent.use(bearerToken);
const dsar = createClient<DsarPaths>({ baseUrl: '' });
dsar.use(bearerToken);

export const clients = { registry, consent, dsar };

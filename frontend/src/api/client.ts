// The registry API client: generated types (registry.d.ts) + openapi-fetch, bearer token attached.
import createClient, { type Middleware } from 'openapi-fetch';

import { currentAccessToken } from '../auth/config';
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

// The typed API clients, one per service: generated types (openapi/*.json -> src/api/*.d.ts) and
// openapi-fetch, each sending the access token issued for its own audience.
//
//   import { clients } from '../api/client';
//   const { data, error, response } = await clients.dsar.GET('/dsar/requests');
import createClient, { type Client, type Middleware } from 'openapi-fetch';

import type { Service } from '../auth/config';
import { accessToken } from '../auth/tokens';
import type { paths as ConsentPaths } from './consent';
import type { paths as DsarPaths } from './dsar';
import type { paths as RegistryPaths } from './registry';
import type { paths as SchedulerPaths } from './scheduler';

function bearerFor(service: Service): Middleware {
  return {
    async onRequest({ request }) {
      const token = await accessToken(service);
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
}

// Same origin: Vite (dev/preview) or the ingress routes each service's path prefix to it.
function clientFor<Paths extends object>(service: Service): Client<Paths> {
  const client = createClient<Paths>({ baseUrl: '' });
  client.use(bearerFor(service));
  return client;
}

export const clients = {
  registry: clientFor<RegistryPaths>('registry'),
  consent: clientFor<ConsentPaths>('consent'),
  dsar: clientFor<DsarPaths>('dsar'),
  scheduler: clientFor<SchedulerPaths>('scheduler'),
};

/** The registry client, as the counsellors' screens import it. */
export const registry = clients.registry;

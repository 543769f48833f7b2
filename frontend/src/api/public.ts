// The public's API client (no login): consent's newsletter endpoints. No bearer token is ever
// attached, so a signed-in person's token does not travel with an anonymous form.
import createClient from 'openapi-fetch';

import type { paths as consentPaths } from './consent';

export const publicConsent = createClient<consentPaths>({ baseUrl: '' });

// The centre's privacy notice (personvernerklæring) in its JSON form: public, no login.
import { useQuery } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { PrivacyNotice } from '../../api/types';

export const privacyNoticeQueryKey = ['registry', 'privacy-notice'] as const;

export function usePrivacyNotice() {
  return useQuery({
    queryKey: privacyNoticeQueryKey,
    // The notice changes with the org profile, i.e. with a deploy: no need to ask again in a visit.
    staleTime: Infinity,
    queryFn: async ({ signal }) =>
      unwrap(
        await registry.GET('/registry/privacy-notice', {
          params: { query: { format: 'json' } },
          signal,
        }),
      ) as PrivacyNotice,
  });
}

// Server state for the audit views: reads of client records made by break glass (registry).
import { useQuery } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { unwrap } from '../../api/problem';

export function useBreakGlassReads() {
  return useQuery({
    queryKey: ['registry', 'audit', 'break-glass'],
    queryFn: async ({ signal }) =>
      unwrap(await clients.registry.GET('/registry/audit/break-glass', { params: { query: { limit: 500 } }, signal })),
  });
}

// Server state for the client list.
import { useQuery } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { unwrap } from '../../api/problem';

export const personsQueryKey = ['registry', 'persons'] as const;

export function usePersons() {
  return useQuery({
    queryKey: personsQueryKey,
    queryFn: async ({ signal }) => unwrap(await registry.GET('/registry/persons', { signal })),
  });
}

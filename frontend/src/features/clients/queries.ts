// Server state for the client list.
import { useMutation, useQuery } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { unwrap } from '../../api/problem';

export const personsQueryKey = ['registry', 'persons'] as const;

export function usePersons() {
  return useQuery({
    queryKey: personsQueryKey,
    queryFn: async ({ signal }) => unwrap(await registry.GET('/registry/persons', { signal })),
  });
}

/** Search by a part of the name: a POST, so the name never stands in a URL. */
export function useSearchPersons() {
  return useMutation({
    mutationFn: async (name: string) =>
      unwrap(await registry.POST('/registry/persons/search', { body: { name, limit: 50, offset: 0 } })),
  });
}

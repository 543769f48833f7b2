// Server state for registering a client: the counsellors to pick from, and the create call.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { PersonCreate } from '../../api/types';
import { personsQueryKey } from '../clients/queries';

export function useCounsellors() {
  return useQuery({
    queryKey: ['registry', 'counsellors'],
    queryFn: async ({ signal }) => unwrap(await registry.GET('/registry/counsellors', { signal })),
    staleTime: 5 * 60 * 1000,
  });
}

export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (person: PersonCreate) => unwrap(await registry.POST('/registry/persons', { body: person })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: personsQueryKey }),
  });
}

/** The fields the centre's org profile turns on; they change only with a new deployment. */
export function useRecordFields() {
  return useQuery({
    queryKey: ['registry', 'profile', 'fields'],
    queryFn: async ({ signal }) => unwrap(await registry.GET('/registry/profile/fields', { signal })),
    staleTime: Infinity,
  });
}

// Server state for one client's page: the record, the contacts timeline, and the changes to them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { ContactCreate, PersonRead } from '../../api/types';
import { personsQueryKey } from '../clients/queries';

export const personQueryKey = (id: string) => ['registry', 'persons', id] as const;
const contactsQueryKey = (id: string) => ['registry', 'persons', id, 'contacts'] as const;

export function usePerson(id: string) {
  return useQuery({
    queryKey: personQueryKey(id),
    queryFn: async ({ signal }) =>
      unwrap(await registry.GET('/registry/persons/{person_id}', { params: { path: { person_id: id } }, signal })),
  });
}

export function useContacts(id: string, enabled: boolean) {
  return useQuery({
    queryKey: contactsQueryKey(id),
    enabled,
    queryFn: async ({ signal }) =>
      unwrap(
        await registry.GET('/registry/persons/{person_id}/contacts', {
          params: { path: { person_id: id }, query: { limit: 200 } },
          signal,
        }),
      ),
  });
}

export function useRecordContact(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (contact: ContactCreate) =>
      unwrap(
        await registry.POST('/registry/persons/{person_id}/contacts', {
          params: { path: { person_id: id } },
          body: contact,
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: personQueryKey(id) });
      await queryClient.invalidateQueries({ queryKey: personsQueryKey, exact: true });
    },
  });
}

export function useEndCounselling(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      unwrap(
        await registry.POST('/registry/persons/{person_id}/counselling-ended', {
          params: { path: { person_id: id } },
          body: { ended_at: null },
        }),
      ),
    onSuccess: (person: PersonRead) => {
      queryClient.setQueryData(personQueryKey(id), person);
      void queryClient.invalidateQueries({ queryKey: personsQueryKey, exact: true });
    },
  });
}

/** Reads a record without a need to know, with the reason in the body (audited as break glass). */
export function useBreakGlass(id: string) {
  return useMutation({
    mutationFn: async (reason: string) =>
      unwrap(
        await registry.POST('/registry/persons/{person_id}/break-glass', {
          params: { path: { person_id: id } },
          body: { reason },
        }),
      ),
  });
}

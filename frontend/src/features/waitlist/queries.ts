// Server state for the waiting list (venteliste): entries, intake, assignment, promotion, removal.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { WaitlistEntryCreate, WaitlistEntryRead, WaitlistPromotion } from '../../api/types';
import { personsQueryKey } from '../clients/queries';

const waitlistQueryKey = ['registry', 'waitlist'] as const;
const entryQueryKey = (id: string) => ['registry', 'waitlist', id] as const;

export function useWaitlist() {
  return useQuery({
    queryKey: waitlistQueryKey,
    queryFn: async ({ signal }) =>
      unwrap(await registry.GET('/registry/waitlist', { params: { query: { limit: 500 } }, signal })),
  });
}

export function useWaitlistEntry(id: string) {
  return useQuery({
    queryKey: entryQueryKey(id),
    queryFn: async ({ signal }) =>
      unwrap(await registry.GET('/registry/waitlist/{entry_id}', { params: { path: { entry_id: id } }, signal })),
  });
}

export function useCreateWaitlistEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (entry: WaitlistEntryCreate) =>
      unwrap(await registry.POST('/registry/waitlist', { body: entry })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: waitlistQueryKey }),
  });
}

export function useAssignWaitlistCounsellor(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (counsellorId: string) =>
      unwrap(
        await registry.POST('/registry/waitlist/{entry_id}/counsellor', {
          params: { path: { entry_id: id } },
          body: { counsellor_id: counsellorId },
        }),
      ),
    onSuccess: (entry: WaitlistEntryRead) => {
      queryClient.setQueryData(entryQueryKey(id), entry);
      void queryClient.invalidateQueries({ queryKey: waitlistQueryKey, exact: true });
    },
  });
}

export function usePromoteWaitlistEntry(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (promotion: WaitlistPromotion) =>
      unwrap(
        await registry.POST('/registry/waitlist/{entry_id}/promotion', {
          params: { path: { entry_id: id } },
          body: promotion,
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: waitlistQueryKey });
      await queryClient.invalidateQueries({ queryKey: personsQueryKey });
    },
  });
}

export function useRemoveWaitlistEntry(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const result = await registry.DELETE('/registry/waitlist/{entry_id}', { params: { path: { entry_id: id } } });
      if (!result.response.ok) unwrap(result);
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: entryQueryKey(id) });
      return queryClient.invalidateQueries({ queryKey: waitlistQueryKey, exact: true });
    },
  });
}

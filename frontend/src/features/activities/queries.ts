// Server state for activities (kurs, foredrag, grupper) and their participants.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { RegistrationCreate } from '../../api/types';

const activitiesQueryKey = ['registry', 'activities'] as const;
const registrationsQueryKey = (id: string) => ['registry', 'activities', id, 'registrations'] as const;

export function useActivities() {
  return useQuery({
    queryKey: activitiesQueryKey,
    queryFn: async ({ signal }) =>
      unwrap(await registry.GET('/registry/activities', { params: { query: { limit: 500 } }, signal })),
  });
}

export function useActivity(id: string) {
  return useQuery({
    queryKey: ['registry', 'activities', id],
    queryFn: async ({ signal }) =>
      unwrap(await registry.GET('/registry/activities/{activity_id}', { params: { path: { activity_id: id } }, signal })),
  });
}

export function useRegistrations(id: string) {
  return useQuery({
    queryKey: registrationsQueryKey(id),
    queryFn: async ({ signal }) =>
      unwrap(
        await registry.GET('/registry/activities/{activity_id}/registrations', {
          params: { path: { activity_id: id }, query: { limit: 500 } },
          signal,
        }),
      ),
  });
}

export function useRegisterParticipant(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (registration: RegistrationCreate) =>
      unwrap(
        await registry.POST('/registry/activities/{activity_id}/registrations', {
          params: { path: { activity_id: id } },
          body: registration,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registrationsQueryKey(id) }),
  });
}

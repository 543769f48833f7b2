// Server state for the breach register (avvik) in dsar.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { paths } from '../../api/dsar';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
export type BreachRead = Json<paths['/dsar/breaches/{breach_id}']['get']['responses'][200]>;
export type BreachCreate = Json<paths['/dsar/breaches']['post']['requestBody']>;
export type BreachUpdate = Json<paths['/dsar/breaches/{breach_id}']['patch']['requestBody']>;
export type BreachRisk = NonNullable<BreachRead['risk']>;

const breachesKey = ['dsar', 'breaches'] as const;

export function useBreaches() {
  return useQuery({
    queryKey: breachesKey,
    queryFn: async ({ signal }) =>
      unwrap(await clients.dsar.GET('/dsar/breaches', { params: { query: { limit: 500 } }, signal })),
  });
}

export function useBreach(id: string) {
  return useQuery({
    queryKey: [...breachesKey, id],
    queryFn: async ({ signal }) =>
      unwrap(await clients.dsar.GET('/dsar/breaches/{breach_id}', { params: { path: { breach_id: id } }, signal })),
  });
}

export function useBreachTimeline(id: string) {
  return useQuery({
    queryKey: [...breachesKey, id, 'timeline'],
    queryFn: async ({ signal }) =>
      unwrap(
        await clients.dsar.GET('/dsar/breaches/{breach_id}/timeline', { params: { path: { breach_id: id } }, signal }),
      ),
  });
}

export function useNotificationDraft(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...breachesKey, id, 'notification'],
    enabled,
    queryFn: async ({ signal }) =>
      unwrap(
        await clients.dsar.GET('/dsar/breaches/{breach_id}/notification', {
          params: { path: { breach_id: id } },
          signal,
        }),
      ),
  });
}

export function useReportBreach() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: BreachCreate) => unwrap(await clients.dsar.POST('/dsar/breaches', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: breachesKey }),
  });
}

export function useUpdateBreach(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: BreachUpdate) =>
      unwrap(await clients.dsar.PATCH('/dsar/breaches/{breach_id}', { params: { path: { breach_id: id } }, body })),
    onSuccess: (updated) => {
      queryClient.setQueryData([...breachesKey, id], updated);
      return queryClient.invalidateQueries({ queryKey: breachesKey });
    },
  });
}

// Server state for data-subject requests (innsyn, retting, sletting ...) in dsar.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { paths } from '../../api/dsar';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
export type DataRequestRead = Json<paths['/dsar/requests/{request_id}']['get']['responses'][200]>;
export type RequestStatus = DataRequestRead['status'];
export type RequestType = DataRequestRead['type'];
export type RequestTransition = Json<paths['/dsar/requests/{request_id}/transitions']['post']['requestBody']>;
export type ExtensionCreate = Json<paths['/dsar/requests/{request_id}/extension']['post']['requestBody']>;
export type RejectionReason = NonNullable<RequestTransition['rejection_reason']>;

export interface RequestFilters {
  status: RequestStatus[];
  type: RequestType[];
  overdue: boolean;
}

const requestsKey = ['dsar', 'requests'] as const;

export function useRequests(filters: RequestFilters) {
  return useQuery({
    queryKey: [...requestsKey, filters],
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) =>
      unwrap(
        await clients.dsar.GET('/dsar/requests', {
          params: {
            query: {
              ...(filters.status.length ? { status: filters.status } : {}),
              ...(filters.type.length ? { type: filters.type } : {}),
              ...(filters.overdue ? { overdue: true } : {}),
              limit: 500,
            },
          },
          signal,
        }),
      ),
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: [...requestsKey, id],
    queryFn: async ({ signal }) =>
      unwrap(await clients.dsar.GET('/dsar/requests/{request_id}', { params: { path: { request_id: id } }, signal })),
  });
}

function useRequestMutation<Body>(id: string, send: (body: Body) => Promise<DataRequestRead>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (updated) => {
      queryClient.setQueryData([...requestsKey, id], updated);
      return queryClient.invalidateQueries({ queryKey: requestsKey });
    },
  });
}

export function useTransition(id: string) {
  return useRequestMutation(id, async (body: RequestTransition) =>
    unwrap(
      await clients.dsar.POST('/dsar/requests/{request_id}/transitions', {
        params: { path: { request_id: id } },
        body,
      }),
    ),
  );
}

export function useExtension(id: string) {
  return useRequestMutation(id, async (body: ExtensionCreate) =>
    unwrap(
      await clients.dsar.POST('/dsar/requests/{request_id}/extension', { params: { path: { request_id: id } }, body }),
    ),
  );
}

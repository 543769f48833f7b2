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
export type TaskDone = Json<paths['/dsar/requests/{request_id}/tasks/{task_id}/done']['post']['requestBody']>;
export type SignedReceipt = Json<paths['/dsar/requests/{request_id}/receipt']['get']['responses'][200]>;
export type StoreReceipt = SignedReceipt['receipt']['stores'][number];

export interface RequestFilters {
  status: RequestStatus[];
  type: RequestType[];
  overdue: boolean;
}

/** Requests on one page of the queue. */
export const REQUESTS_PAGE_SIZE = 50;

const requestsKey = ['dsar', 'requests'] as const;

/** One page (from 1) of the queue, earliest due first as dsar sorts it. */
export function useRequests(filters: RequestFilters, page: number) {
  return useQuery({
    queryKey: [...requestsKey, filters, page],
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) =>
      unwrap(
        await clients.dsar.GET('/dsar/requests', {
          params: {
            query: {
              ...(filters.status.length ? { status: filters.status } : {}),
              ...(filters.type.length ? { type: filters.type } : {}),
              ...(filters.overdue ? { overdue: true } : {}),
              limit: REQUESTS_PAGE_SIZE,
              offset: (page - 1) * REQUESTS_PAGE_SIZE,
            },
          },
          signal,
        }),
      ),
  });
}

// How often an open request page asks again while an automatic call has not gone through: a
// call made by another run (the scheduler's redelivery, or one "Prøv igjen" found under way) is
// recorded after the answer the page holds.
const CALLS_POLL_MS = 5_000;

/** Whether an automatic call of the request is still under way, waiting or failed. */
export function hasOpenCalls(request: DataRequestRead | undefined): boolean {
  return (
    request?.tasks.some((task) => task.kind !== 'manual' && task.status !== 'done') ?? false
  );
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: [...requestsKey, id],
    queryFn: async ({ signal }) =>
      unwrap(await clients.dsar.GET('/dsar/requests/{request_id}', { params: { path: { request_id: id } }, signal })),
    refetchInterval: (query) => (hasOpenCalls(query.state.data) ? CALLS_POLL_MS : false),
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

/** Fetches the request again, e.g. after a 409 said it changed in the meantime. */
export function useRefreshRequest(id: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [...requestsKey, id] });
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

export function useTaskDone(id: string) {
  return useRequestMutation(id, async ({ taskId, body }: { taskId: string; body: TaskDone }) =>
    unwrap(
      await clients.dsar.POST('/dsar/requests/{request_id}/tasks/{task_id}/done', {
        params: { path: { request_id: id, task_id: taskId } },
        body,
      }),
    ),
  );
}

export function useRetryTasks(id: string) {
  return useRequestMutation(id, async () =>
    unwrap(
      await clients.dsar.POST('/dsar/requests/{request_id}/tasks/retry', { params: { path: { request_id: id } } }),
    ),
  );
}

/** The signed receipt of a completed erasure; asked for only once the request says it has one. */
export function useReceipt(id: string, available: boolean) {
  return useQuery({
    queryKey: [...requestsKey, id, 'receipt'],
    enabled: available,
    staleTime: Infinity,
    queryFn: async ({ signal }) =>
      unwrap(
        await clients.dsar.GET('/dsar/requests/{request_id}/receipt', { params: { path: { request_id: id } }, signal }),
      ),
  });
}

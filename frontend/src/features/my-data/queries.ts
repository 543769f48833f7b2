// Server state of "Mine opplysninger": the client's own requests to dsar, polled while any is open,
// and the access package of a finished access request.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { DataRequestCreate, DataRequestRead, RequestStatus } from '../../api/types';

export const myRequestsQueryKey = ['dsar', 'requests', 'mine'] as const;
const packageQueryKey = (id: string) => ['dsar', 'requests', id, 'package'] as const;

/** How often to ask again while a request is being worked on. */
export const POLL_MS = 2000;

const OPEN: readonly RequestStatus[] = ['received', 'identity_verified', 'in_progress', 'awaiting_approval', 'approved'];
export const isOpen = (status: RequestStatus) => OPEN.includes(status);

export function useMyRequests() {
  return useQuery({
    queryKey: myRequestsQueryKey,
    queryFn: async ({ signal }) =>
      unwrap(await clients.dsar.GET('/dsar/requests', { params: { query: { limit: 100 } }, signal })).items,
    // Follow the status the API gives while anything is still being worked on.
    refetchInterval: (query) => (query.state.data?.some((r) => isOpen(r.status)) ? POLL_MS : false),
  });
}

export function useFileRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: DataRequestCreate) => unwrap(await clients.dsar.POST('/dsar/requests', { body })),
    onSuccess: (created: DataRequestRead) => {
      queryClient.setQueryData<DataRequestRead[]>(myRequestsQueryKey, (before) => [
        created,
        ...(before ?? []).filter((r) => r.id !== created.id),
      ]);
      void queryClient.invalidateQueries({ queryKey: myRequestsQueryKey });
    },
  });
}

export function useAccessPackage(request: DataRequestRead | undefined) {
  const ready = request?.status === 'completed' && !request.identifiers_shredded;
  return useQuery({
    queryKey: packageQueryKey(request?.id ?? ''),
    enabled: ready,
    staleTime: Infinity,
    queryFn: async ({ signal }) =>
      unwrap(
        await clients.dsar.GET('/dsar/requests/{request_id}/package', {
          params: { path: { request_id: request?.id ?? '' } },
          signal,
        }),
      ),
  });
}

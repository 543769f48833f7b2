// Server state of "Mine opplysninger": the client's own requests to dsar, polled while any is open,
// and the access package of a finished access request.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { ApiError, unwrap } from '../../api/problem';
import type { DataRequestCreate, DataRequestSummary, RequestStatus } from '../../api/types';

export const myRequestsQueryKey = ['dsar', 'requests', 'mine'] as const;
const packageQueryKey = (id: string) => ['dsar', 'requests', id, 'package'] as const;

/** How often to ask again while a request is being worked on. */
export const POLL_MS = 3000;

const OPEN: readonly RequestStatus[] = ['received', 'identity_verified', 'in_progress', 'awaiting_approval', 'approved'];
export const isOpen = (status: RequestStatus) => OPEN.includes(status);

/** Every store Vern reaches by itself has answered; what is left is done by hand by the centre. */
export function automaticTasksDone(request: DataRequestSummary): boolean {
  if (request.status === 'completed') return true;
  const automatic = request.tasks.filter((task) => task.kind !== 'manual');
  return automatic.length > 0 && automatic.every((task) => task.status === 'done');
}

/** Quickly while Vern's own stores are working, slowly while only the centre's manual tasks wait. */
function pollInterval(requests: DataRequestSummary[] | undefined): number | false {
  const open = (requests ?? []).filter((request) => isOpen(request.status));
  if (open.length === 0) return false;
  return open.some((request) => !automaticTasksDone(request)) ? POLL_MS : 10 * POLL_MS;
}

export function useMyRequests() {
  return useQuery({
    queryKey: myRequestsQueryKey,
    queryFn: async ({ signal }) =>
      unwrap(await clients.dsar.GET('/dsar/requests', { params: { query: { limit: 100 } }, signal })).items,
    // Follow the status the API gives while anything is still being worked on.
    refetchInterval: (query) => pollInterval(query.state.data),
  });
}

export function useFileRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: DataRequestCreate) => unwrap(await clients.dsar.POST('/dsar/requests', { body })),
    onSuccess: (created: DataRequestSummary) => {
      queryClient.setQueryData<DataRequestSummary[]>(myRequestsQueryKey, (before) => [
        created,
        ...(before ?? []).filter((r) => r.id !== created.id),
      ]);
      void queryClient.invalidateQueries({ queryKey: myRequestsQueryKey });
    },
  });
}

export function useAccessPackage(request: DataRequestSummary | undefined) {
  // The package is there once every Vern service has exported, before any manual task is done.
  const ready = request !== undefined && automaticTasksDone(request) && !request.identifiers_shredded;
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

/** The package as a readable page in bokmål (HTML), fetched with the token and saved as a file. */
export async function fetchPackagePage(requestId: string): Promise<Blob> {
  const { data, response } = await clients.dsar.GET('/dsar/requests/{request_id}/package.html', {
    params: { path: { request_id: requestId } },
    parseAs: 'blob',
  });
  if (!response.ok || data === undefined) throw new ApiError(response.status, undefined);
  return data;
}

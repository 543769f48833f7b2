// Server state of "Mine opplysninger": the client's own requests to dsar, polled while any is open,
// the access package of a finished access request, and the newsletters of a confirmed address.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { ApiError, fieldErrors, unwrap } from '../../api/problem';
import type {
  DataRequestCreate,
  DataRequestSummary,
  MySubscription,
  PackageLabels,
  RequestStatus,
} from '../../api/types';
import { useEmailProof } from './emailProof';

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

/** Files a request; with a confirmed e-mail address its proof goes along, so the address is searched too. */
export function useFileRequest() {
  const queryClient = useQueryClient();
  const { proof, setProof } = useEmailProof();
  return useMutation({
    mutationFn: async (body: DataRequestCreate) =>
      unwrap(await clients.dsar.POST('/dsar/requests', { body: proof ? { ...body, email_proof: proof } : body })),
    // A proof dsar no longer takes (expired after 30 minutes) is dropped, so the address can be confirmed again.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 422 && fieldErrors(error.problem).has('email_proof')) setProof(null);
    },
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

/** Bokmål words for the package's codes (the same the readable page uses); they never change while the app runs. */
export function usePackageLabels() {
  return useQuery({
    queryKey: ['dsar', 'packages', 'labels'],
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<PackageLabels> => unwrap(await clients.dsar.GET('/dsar/packages/labels', { signal })),
  });
}

// The proof is in the key so that another confirmed address never shows the last one's lists; the
// cache lives in memory only.
const mySubscriptionsKey = (proof: string | null) => ['consent', 'me', 'subscriptions', proof] as const;
const proofHeader = (proof: string) => ({ 'Vern-Email-Proof': proof });

/** The centre's newsletters with the confirmed address's state on each. */
export function useMySubscriptions(proof: string | null) {
  return useQuery({
    queryKey: mySubscriptionsKey(proof),
    enabled: proof !== null,
    queryFn: async ({ signal }) =>
      unwrap(await clients.consent.GET('/consent/me/subscriptions', { params: { header: proofHeader(proof ?? '') }, signal })),
  });
}

/** Gives or withdraws consent to one list; the switch moves at once and moves back on failure. */
export function useSetMySubscription(proof: string | null) {
  const queryClient = useQueryClient();
  const key = mySubscriptionsKey(proof);
  return useMutation({
    mutationFn: async ({ listId, subscribed }: { listId: string; subscribed: boolean }) => {
      const params = { header: proofHeader(proof ?? ''), path: { list_id: listId } };
      return unwrap(
        subscribed
          ? await clients.consent.POST('/consent/me/subscriptions/{list_id}', { params })
          : await clients.consent.DELETE('/consent/me/subscriptions/{list_id}', { params }),
      );
    },
    onMutate: async ({ listId, subscribed }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<MySubscription[]>(key);
      queryClient.setQueryData<MySubscription[]>(key, (lists) =>
        lists?.map((item) =>
          item.list_id === listId
            ? { ...item, state: subscribed ? 'subscribed' : 'withdrawn', since: new Date().toISOString() }
            : item,
        ),
      );
      return { before };
    },
    onError: (_error, _variables, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData<MySubscription[]>(key, (lists) =>
        lists?.map((item) => (item.list_id === updated.list_id ? updated : item)),
      );
    },
  });
}

// Server state for the scheduler: what each service's sweeps will delete soon, and the job runs.
import { useQuery } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { unwrap } from '../../api/problem';

export const PREVIEW_DAYS = 30;

export function useRetentionPreview() {
  return useQuery({
    queryKey: ['scheduler', 'retention', 'preview', PREVIEW_DAYS],
    queryFn: async ({ signal }) =>
      unwrap(
        await clients.scheduler.GET('/scheduler/retention/preview', {
          params: { query: { days: PREVIEW_DAYS } },
          signal,
        }),
      ),
  });
}

export function useSchedulerRuns() {
  return useQuery({
    queryKey: ['scheduler', 'runs'],
    queryFn: async ({ signal }) =>
      unwrap(await clients.scheduler.GET('/scheduler/runs', { params: { query: { limit: 50 } }, signal })),
  });
}

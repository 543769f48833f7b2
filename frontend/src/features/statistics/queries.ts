// Server state for the statistics: the table for a year or a month, and the Bufdir CSV export.
import { useMutation, useQuery } from '@tanstack/react-query';

import { registry } from '../../api/client';
import { ApiError, unwrap } from '../../api/problem';

export interface Period {
  year: number;
  month: number | null;
}

export function useStatistics(period: Period) {
  return useQuery({
    queryKey: ['registry', 'statistics', period.year, period.month],
    queryFn: async ({ signal }) =>
      unwrap(
        await registry.GET('/registry/statistics', {
          params: { query: { year: period.year, month: period.month, suppress: true } },
          signal,
        }),
      ),
  });
}

/** Downloads the CSV through the authenticated client and hands it to the browser as a file. */
export function useExportCsv() {
  return useMutation({
    mutationFn: async (period: Period) => {
      const result = await registry.GET('/registry/statistics/export.csv', {
        params: { query: { year: period.year, month: period.month, suppress: true } },
        parseAs: 'blob',
      });
      if (!result.response.ok || !(result.data instanceof Blob)) {
        throw new ApiError(result.response.status, result.error);
      }
      const url = URL.createObjectURL(result.data);
      const link = document.createElement('a');
      link.href = url;
      link.download = `vern-statistikk-${period.year}${period.month ? `-${String(period.month).padStart(2, '0')}` : ''}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(url);
    },
  });
}

// "Forespørsler": the queue of data-subject requests, soonest due first, with filters, 50 to a
// page ("Viser 1–50 av 213", said again to screen readers when the page or a filter changes).
import {
  Checkbox,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  SelectOption,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { RouteLink } from '../../routing/RouteLink';
import { LoadState } from '../../ui/LoadState';
import { formatDate } from '../clients/formatDate';
import { formatMoment } from '../client/formatMoment';
import { DueCountdown } from './DueCountdown';
import { REQUEST_STATUSES, REQUEST_TYPES } from './lifecycle';
import { QueuePagination } from './QueuePagination';
import { REQUESTS_PAGE_SIZE, useRequests, type RequestFilters } from './queries';

export function RequestsPage() {
  const { t, i18n } = useTranslation();
  const [filters, setFiltersOnly] = useState<RequestFilters>({ status: [], type: [], overdue: false });
  const [page, setPage] = useState(1);
  // Other filters make other pages: a change starts from the first.
  const setFilters = (changed: RequestFilters) => {
    setFiltersOnly(changed);
    setPage(1);
  };
  const requests = useRequests(filters, page);
  const items = requests.data?.items ?? [];
  const total = requests.data?.total ?? 0;
  const offset = requests.data?.offset ?? 0;
  const totalPages = Math.max(1, Math.ceil(total / REQUESTS_PAGE_SIZE));
  // A page chosen in the pagination: once it has come, focus goes to the table, as on a new page,
  // so the keyboard and a screen reader start on the requests shown (and not on a "Neste" that
  // the last page hides).
  const table = useRef<HTMLDivElement>(null);
  const focusTable = useRef(false);
  const choosePage = (chosen: number) => {
    focusTable.current = true;
    setPage(chosen);
  };
  const arrived = requests.isSuccess && !requests.isPlaceholderData;
  useEffect(() => {
    if (!focusTable.current || !arrived) return;
    focusTable.current = false;
    table.current?.focus();
  }, [arrived, requests.data]);

  return (
    <section className="stack" aria-labelledby="requests-heading">
      <Heading level={1} data-size="lg" id="requests-heading">
        {t('requests.heading')}
      </Heading>
      <Paragraph>{t('requests.intro')}</Paragraph>
      <form className="filters" aria-label={t('requests.filters')} onSubmit={(event) => event.preventDefault()}>
        <Field>
          <Label>{t('requests.status')}</Label>
          <Select
            value={filters.status[0] ?? ''}
            onChange={(event) => {
              const status = REQUEST_STATUSES.find((s) => s === event.target.value);
              setFilters({ ...filters, status: status ? [status] : [] });
            }}
          >
            <SelectOption value="">{t('requests.allStatuses')}</SelectOption>
            {REQUEST_STATUSES.map((status) => (
              <SelectOption key={status} value={status}>
                {t(`requestStatus.${status}`)}
              </SelectOption>
            ))}
          </Select>
        </Field>
        <Field>
          <Label>{t('requests.type')}</Label>
          <Select
            value={filters.type[0] ?? ''}
            onChange={(event) => {
              const type = REQUEST_TYPES.find((s) => s === event.target.value);
              setFilters({ ...filters, type: type ? [type] : [] });
            }}
          >
            <SelectOption value="">{t('requests.allTypes')}</SelectOption>
            {REQUEST_TYPES.map((type) => (
              <SelectOption key={type} value={type}>
                {t(`requestType.${type}`)}
              </SelectOption>
            ))}
          </Select>
        </Field>
        <Checkbox
          label={t('requests.onlyOverdue')}
          checked={filters.overdue}
          onChange={(event) => setFilters({ ...filters, overdue: event.target.checked })}
        />
      </form>
      <LoadState isPending={requests.isPending} error={requests.error} failed={t('requests.loadFailed')} />
      <div role="status">
        {requests.isSuccess && items.length > 0 && (
          <Paragraph data-size="sm">
            {t('requests.showing', { from: offset + 1, to: offset + items.length, total })}
          </Paragraph>
        )}
      </div>
      {requests.isSuccess &&
        (items.length === 0 ? (
          <div className="empty-state">
            <Paragraph>{t('requests.empty')}</Paragraph>
            <Paragraph data-size="sm">{t('requests.emptyHelp')}</Paragraph>
          </div>
        ) : (
          <div ref={table} className="table-scroll" tabIndex={0} role="region" aria-label={t('requests.caption')}>
            <Table zebra>
              <caption className="ds-sr-only">{t('requests.caption')}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell>{t('requests.type')}</TableHeaderCell>
                  <TableHeaderCell>{t('requests.status')}</TableHeaderCell>
                  <TableHeaderCell>{t('requests.received')}</TableHeaderCell>
                  <TableHeaderCell>{t('requests.due')}</TableHeaderCell>
                  <TableHeaderCell>{t('requests.countdown')}</TableHeaderCell>
                  <TableHeaderCell>{t('requests.progress')}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((request) => (
                  <TableRow key={request.id}>
                    <TableCell>
                      <RouteLink to={{ name: 'request', id: request.id }}>{t(`requestType.${request.type}`)}</RouteLink>
                    </TableCell>
                    <TableCell>{t(`requestStatus.${request.status}`)}</TableCell>
                    <TableCell>
                      <time dateTime={request.received_at}>{formatMoment(request.received_at, i18n.language)}</time>
                    </TableCell>
                    <TableCell>
                      <time dateTime={request.due_date}>{formatDate(request.due_date, i18n.language)}</time>
                    </TableCell>
                    <TableCell>
                      <DueCountdown request={request} />
                    </TableCell>
                    <TableCell>
                      {request.tasks.length > 0
                        ? t('requests.tasksProgress', {
                            finished: request.tasks.filter((task) => task.status === 'done').length,
                            total: request.tasks.length,
                          })
                        : t('requests.noTasks')}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      {requests.isSuccess && (totalPages > 1 || page > 1) && (
        <QueuePagination page={page} totalPages={Math.max(totalPages, page)} onPage={choosePage} />
      )}
    </section>
  );
}

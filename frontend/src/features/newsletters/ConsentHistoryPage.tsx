// One client's newsletter consents: what holds now, and every event in the append-only ledger.
import {
  Heading,
  Paragraph,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { RouteLink } from '../../routing/RouteLink';
import { LoadState } from '../../ui/LoadState';
import { formatMoment } from '../client/formatMoment';
import { useConsentHistory, useNewsletterLists } from './queries';

export function ConsentHistoryPage({ personId }: { personId: string }) {
  const { t, i18n } = useTranslation();
  const history = useConsentHistory(personId);
  const lists = useNewsletterLists();
  const listName = (id: string | null) => (id ? (lists.data?.find((l) => l.id === id)?.name_nb ?? id) : '–');
  const events = (history.data ?? []).flatMap((subscriber) => subscriber.history);
  const current = (history.data ?? []).flatMap((subscriber) => subscriber.current);

  return (
    <section className="stack" aria-labelledby="consent-history-heading">
      <div className="button-row">
        <RouteLink to={{ name: 'newsletters' }}>{t('newsletters.back')}</RouteLink>
        <RouteLink to={{ name: 'client', id: personId }}>{t('consentHistory.toClient')}</RouteLink>
      </div>
      <Heading level={1} data-size="lg" id="consent-history-heading">
        {t('consentHistory.heading')}
      </Heading>
      <LoadState isPending={history.isPending} error={history.error} failed={t('consentHistory.loadFailed')} />
      {history.isSuccess && events.length === 0 && (
        <div className="empty-state">
          <Paragraph>{t('consentHistory.empty')}</Paragraph>
        </div>
      )}
      {current.length > 0 && (
        <>
          <Heading level={2} data-size="md">
            {t('consentHistory.current')}
          </Heading>
          <ul>
            {current.map((state) => (
              <li key={`${state.purpose}-${state.list_id ?? ''}`}>
                {listName(state.list_id)}: {t(`consentEvent.${state.state}`)} ({formatMoment(state.since, i18n.language)})
              </li>
            ))}
          </ul>
        </>
      )}
      {events.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('consentHistory.caption')}>
          <Table zebra>
            <caption className="ds-sr-only">{t('consentHistory.caption')}</caption>
            <TableHead>
              <TableRow>
                <TableHeaderCell>{t('consentHistory.when')}</TableHeaderCell>
                <TableHeaderCell>{t('consentHistory.list')}</TableHeaderCell>
                <TableHeaderCell>{t('consentHistory.event')}</TableHeaderCell>
                <TableHeaderCell>{t('consentHistory.source')}</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {events.map((event) => (
                <TableRow key={event.id}>
                  <TableCell>
                    <time dateTime={event.occurred_at}>{formatMoment(event.occurred_at, i18n.language)}</time>
                  </TableCell>
                  <TableCell>{listName(event.list_id)}</TableCell>
                  <TableCell>{t(`consentEvent.${event.event}`)}</TableCell>
                  <TableCell>{t(`consentSource.${event.source}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}

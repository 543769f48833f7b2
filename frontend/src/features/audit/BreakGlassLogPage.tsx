// "Nødtilgang": every read of a client record made by break glass, with the reason given; ids,
// times and roles only, never a name.
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

import { LoadState } from '../../ui/LoadState';
import { formatMoment } from '../client/formatMoment';
import { useBreakGlassReads } from './queries';

export function BreakGlassLogPage() {
  const { t, i18n } = useTranslation();
  const reads = useBreakGlassReads();
  return (
    <section className="stack" aria-labelledby="break-glass-log-heading">
      <Heading level={1} data-size="lg" id="break-glass-log-heading">
        {t('breakGlassLog.heading')}
      </Heading>
      <Paragraph>{t('breakGlassLog.intro')}</Paragraph>
      <LoadState isPending={reads.isPending} error={reads.error} failed={t('breakGlassLog.loadFailed')} />
      {reads.isSuccess &&
        (reads.data.length === 0 ? (
          <div className="empty-state">
            <Paragraph>{t('breakGlassLog.empty')}</Paragraph>
          </div>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('breakGlassLog.caption')}>
            <Table zebra>
              <caption className="ds-sr-only">{t('breakGlassLog.caption')}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell>{t('breakGlassLog.when')}</TableHeaderCell>
                  <TableHeaderCell>{t('breakGlassLog.roles')}</TableHeaderCell>
                  <TableHeaderCell>{t('breakGlassLog.action')}</TableHeaderCell>
                  <TableHeaderCell>{t('breakGlassLog.subject')}</TableHeaderCell>
                  <TableHeaderCell>{t('breakGlassLog.reason')}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {reads.data.map((read) => (
                  <TableRow key={read.event_id}>
                    <TableCell>
                      <time dateTime={read.occurred_at}>{formatMoment(read.occurred_at, i18n.language)}</time>
                    </TableCell>
                    <TableCell>{read.roles.map((role) => t(`role.${role}`, { defaultValue: role })).join(', ')}</TableCell>
                    <TableCell>{read.action}</TableCell>
                    <TableCell>
                      <code>{read.subject_id ?? '–'}</code>
                    </TableCell>
                    <TableCell>{read.reason ?? '–'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
    </section>
  );
}

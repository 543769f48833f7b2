// "Venteliste": who is waiting, whether a counsellor is assigned, and when the entry is deleted.
import {
  Alert,
  Heading,
  Paragraph,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { WaitlistEntrySummary } from '../../api/types';
import { RouteLink } from '../../routing/RouteLink';
import { formatDate } from '../clients/formatDate';
import { useCounsellors } from '../register-client/queries';
import { IntakeForm } from './IntakeForm';
import { useWaitlist } from './queries';

export function WaitlistPage() {
  const { t } = useTranslation();
  const waitlist = useWaitlist();

  return (
    <div className="workspace">
      <section className="stack" aria-labelledby="waitlist-heading">
        <Heading level={1} data-size="lg" id="waitlist-heading">
          {t('waitlist.heading')}
        </Heading>
        {waitlist.isPending && <Spinner aria-label={t('app.loading')} />}
        {waitlist.isError && (
          <Alert data-color="danger" role="alert">
            {t('waitlist.loadFailed')}
          </Alert>
        )}
        {waitlist.isSuccess &&
          (waitlist.data.length === 0 ? (
            <div className="empty-state">
              <Paragraph>{t('waitlist.empty')}</Paragraph>
              <Paragraph data-size="sm">{t('waitlist.emptyHelp')}</Paragraph>
            </div>
          ) : (
            <WaitlistTable entries={waitlist.data} />
          ))}
      </section>
      <IntakeForm />
    </div>
  );
}

function WaitlistTable({ entries }: { entries: WaitlistEntrySummary[] }) {
  const { t, i18n } = useTranslation();
  const counsellors = useCounsellors();
  const nameOf = (id: string) => counsellors.data?.find((c) => c.id === id)?.display_name ?? id;
  const date = (iso: string) => <time dateTime={iso}>{formatDate(iso, i18n.language)}</time>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('waitlist.caption')}>
      <Table zebra>
        <caption className="ds-sr-only">{t('waitlist.caption')}</caption>
        <TableHead>
          <TableRow>
            <TableHeaderCell>{t('clients.columnName')}</TableHeaderCell>
            <TableHeaderCell>{t('waitlist.columnReceived')}</TableHeaderCell>
            <TableHeaderCell>{t('register.counsellor')}</TableHeaderCell>
            <TableHeaderCell>{t('clients.columnRetention')}</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {entries.map((entry) => (
            <TableRow key={entry.id}>
              <TableCell>
                <RouteLink to={{ name: 'waitlistEntry', id: entry.id }}>{entry.full_name}</RouteLink>
              </TableCell>
              <TableCell>{date(entry.received_date)}</TableCell>
              <TableCell>
                {entry.assigned_counsellor_id ? nameOf(entry.assigned_counsellor_id) : t('waitlist.notAssigned')}
              </TableCell>
              <TableCell>
                {entry.retention_due_date ? date(entry.retention_due_date) : t('waitlist.noDeletionYet')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

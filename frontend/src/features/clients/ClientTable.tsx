// The clients table: name (linking to the client's page), intake date and retention due date.
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { PersonSummary } from '../../api/types';
import { RouteLink } from '../../routing/RouteLink';
import { formatDate } from './formatDate';

export function ClientTable({ persons, caption }: { persons: PersonSummary[]; caption?: string }) {
  const { t, i18n } = useTranslation();
  return (
    // Scrolls sideways on narrow screens rather than squeezing; focusable so keyboards can scroll it.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption ?? t('clients.caption')}>
      <Table zebra>
        <caption className="ds-sr-only">{caption ?? t('clients.caption')}</caption>
        <TableHead>
          <TableRow>
            <TableHeaderCell>{t('clients.columnName')}</TableHeaderCell>
            <TableHeaderCell>{t('clients.columnIntake')}</TableHeaderCell>
            <TableHeaderCell>{t('clients.columnRetention')}</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {persons.map((person) => (
            <TableRow key={person.id}>
              <TableCell>
                <RouteLink to={{ name: 'client', id: person.id }}>
                  {person.full_name ?? t('clients.anonymousClient')}
                </RouteLink>
              </TableCell>
              <TableCell>
                {person.intake_date ? (
                  <time dateTime={person.intake_date}>{formatDate(person.intake_date, i18n.language)}</time>
                ) : (
                  t('clients.intakeNotRecorded')
                )}
              </TableCell>
              <TableCell>
                {person.retention_due_date ? (
                  <time dateTime={person.retention_due_date}>
                    {formatDate(person.retention_due_date, i18n.language)}
                  </time>
                ) : (
                  t('clients.retentionNotSet')
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

// "Mine klienter": the clients the signed-in counsellor may see, with intake and deletion dates.
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

import type { PersonSummary } from '../../api/types';
import { formatDate } from './formatDate';
import { usePersons } from './queries';

export function MyClientsPage({ canRegister }: { canRegister: boolean }) {
  const { t } = useTranslation();
  const persons = usePersons();

  return (
    <section className="stack" aria-labelledby="clients-heading">
      <Heading level={1} data-size="lg" id="clients-heading">
        {t('clients.heading')}
      </Heading>
      {persons.isPending && <Spinner aria-label={t('app.loading')} />}
      {persons.isError && (
        <Alert data-color="danger" role="alert">
          {t('clients.loadFailed')}
        </Alert>
      )}
      {persons.isSuccess &&
        (persons.data.length === 0 ? (
          <EmptyState canRegister={canRegister} />
        ) : (
          <ClientTable persons={persons.data} />
        ))}
    </section>
  );
}

function EmptyState({ canRegister }: { canRegister: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="empty-state">
      <Paragraph>{t('clients.empty')}</Paragraph>
      <Paragraph data-size="sm">{canRegister ? t('clients.emptyCoordinator') : t('clients.emptyCounsellor')}</Paragraph>
    </div>
  );
}

function ClientTable({ persons }: { persons: PersonSummary[] }) {
  const { t, i18n } = useTranslation();
  return (
    // Scrolls sideways on narrow screens rather than squeezing; focusable so keyboards can scroll it.
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="clients-caption">
      <Table zebra>
        <caption id="clients-caption" className="ds-sr-only">
          {t('clients.caption')}
        </caption>
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
              <TableCell>{person.full_name ?? t('clients.anonymousClient')}</TableCell>
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

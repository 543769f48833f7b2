// One waiting-list entry: what the applicant told us, assigning a counsellor (which starts the
// 30-day deletion clock), promoting to client with the fields they agreed to, and removal.
import { Alert, Heading, Paragraph, Spinner, Tag } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import type { WaitlistEntryRead } from '../../api/types';
import { RouteLink } from '../../routing/RouteLink';
import { formatDate } from '../clients/formatDate';
import { AssignCounsellor } from './AssignCounsellor';
import { PromoteForm } from './PromoteForm';
import { RemoveEntry } from './RemoveEntry';
import { useWaitlistEntry } from './queries';

export function WaitlistEntryPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const entry = useWaitlistEntry(id);
  return (
    <section className="stack" aria-labelledby="entry-heading">
      <RouteLink to={{ name: 'waitlist' }}>{t('waitlist.back')}</RouteLink>
      <Heading level={1} data-size="lg" id="entry-heading">
        {t('waitlist.entryHeading')}
      </Heading>
      {entry.isPending && <Spinner aria-label={t('app.loading')} />}
      {entry.isError && (
        <Alert data-color="danger" role="alert">
          {entry.error instanceof ApiError && entry.error.status === 404 ? t('waitlist.notFound') : t('waitlist.loadFailed')}
        </Alert>
      )}
      {entry.isSuccess && (
        <>
          <EntryDetails entry={entry.data} />
          <AssignCounsellor entry={entry.data} />
          <PromoteForm entry={entry.data} />
          <RemoveEntry entryId={entry.data.id} />
        </>
      )}
    </section>
  );
}

function EntryDetails({ entry }: { entry: WaitlistEntryRead }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string | null) => (iso ? <time dateTime={iso}>{formatDate(iso, i18n.language)}</time> : null);
  const yesNo = (value: boolean | null) => (value === null ? null : value ? t('common.yes') : t('common.no'));
  const rows: [string, ReactNode][] = [
    [t('client.name'), entry.full_name],
    [t('register.email'), entry.email],
    [t('register.phone'), entry.phone],
    [t('intake.receivedDate'), date(entry.received_date)],
    [t('register.birthDate'), date(entry.birth_date)],
    [t('register.gender'), entry.gender ? t(`gender.${entry.gender}`) : null],
    [t('intake.newUser'), yesNo(entry.new_user)],
    [t('intake.affectedAs'), entry.affected_as ? t(`affectedAs.${entry.affected_as}`) : null],
    [t('intake.abuseKind'), entry.abuse_kind ? t(`abuseKind.${entry.abuse_kind}`) : null],
    [t('intake.otherHelpServices'), yesNo(entry.other_help_services)],
  ];
  return (
    <>
      {entry.retention_due_date ? (
        <div className="retention-due">
          <Tag data-color="warning">
            <span>
              {t('waitlist.deletedOn')} {date(entry.retention_due_date)}
            </span>
          </Tag>
        </div>
      ) : (
        <Paragraph data-size="sm">{t('waitlist.deletionStartsOnAssign')}</Paragraph>
      )}
      <dl className="details">
        {rows
          .filter(([, value]) => value !== null && value !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </>
  );
}

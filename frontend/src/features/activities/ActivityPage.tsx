// One activity: when it is, its participants (kept until it ends), and registering a participant.
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

import { RouteLink } from '../../routing/RouteLink';
import { formatDate } from '../clients/formatDate';
import { formatMoment } from '../client/formatMoment';
import { useActivity, useRegistrations } from './queries';
import { RegisterParticipantForm } from './RegisterParticipantForm';

export function ActivityPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const activity = useActivity(id);
  return (
    <section className="stack" aria-labelledby="activity-heading">
      <RouteLink to={{ name: 'activities' }}>{t('activities.back')}</RouteLink>
      <Heading level={1} data-size="lg" id="activity-heading">
        {activity.data?.name ?? t('activities.activity')}
      </Heading>
      {activity.isPending && <Spinner aria-label={t('app.loading')} />}
      {activity.isError && (
        <Alert data-color="danger" role="alert">
          {t('activities.loadFailed')}
        </Alert>
      )}
      {activity.isSuccess && (
        <>
          <dl className="details">
            <div>
              <dt>{t('activities.kind')}</dt>
              <dd>{t(`activityKind.${activity.data.kind}`)}</dd>
            </div>
            <div>
              <dt>{t('activities.starts')}</dt>
              <dd>{formatMoment(activity.data.starts_at, i18n.language)}</dd>
            </div>
            <div>
              <dt>{t('activities.ends')}</dt>
              <dd>{formatMoment(activity.data.ends_at, i18n.language)}</dd>
            </div>
            <div>
              <dt>{t('activities.participantsDeleted')}</dt>
              <dd>{formatDate(activity.data.participants_deleted_on, i18n.language)}</dd>
            </div>
          </dl>
          <Participants activityId={id} />
          <RegisterParticipantForm activityId={id} />
        </>
      )}
    </section>
  );
}

function Participants({ activityId }: { activityId: string }) {
  const { t } = useTranslation();
  const registrations = useRegistrations(activityId);
  return (
    <section className="stack" aria-labelledby="participants-heading">
      <Heading level={2} data-size="md" id="participants-heading">
        {t('participants.heading')}
      </Heading>
      {registrations.isPending && <Spinner aria-label={t('app.loading')} />}
      {registrations.isError && (
        <Alert data-color="danger" role="alert">
          {t('participants.loadFailed')}
        </Alert>
      )}
      {registrations.isSuccess &&
        (registrations.data.length === 0 ? (
          <Paragraph className="empty-state">{t('participants.empty')}</Paragraph>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('participants.heading')}>
            <Table zebra>
              <caption className="ds-sr-only">{t('participants.heading')}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell>{t('clients.columnName')}</TableHeaderCell>
                  <TableHeaderCell>{t('register.email')}</TableHeaderCell>
                  <TableHeaderCell>{t('register.phone')}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {registrations.data.map((registration) => (
                  <TableRow key={registration.id}>
                    <TableCell>{registration.full_name}</TableCell>
                    <TableCell>{registration.email ?? '–'}</TableCell>
                    <TableCell>{registration.phone ?? '–'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
    </section>
  );
}

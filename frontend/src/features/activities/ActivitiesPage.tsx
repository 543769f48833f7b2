// "Mine aktiviteter": a counsellor's courses, lectures and groups (all of them for coordinators).
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
import { useActivities } from './queries';

export function ActivitiesPage() {
  const { t, i18n } = useTranslation();
  const activities = useActivities();
  return (
    <section className="stack" aria-labelledby="activities-heading">
      <Heading level={1} data-size="lg" id="activities-heading">
        {t('activities.heading')}
      </Heading>
      {activities.isPending && <Spinner aria-label={t('app.loading')} />}
      {activities.isError && (
        <Alert data-color="danger" role="alert">
          {t('activities.loadFailed')}
        </Alert>
      )}
      {activities.isSuccess &&
        (activities.data.length === 0 ? (
          <div className="empty-state">
            <Paragraph>{t('activities.empty')}</Paragraph>
            <Paragraph data-size="sm">{t('activities.emptyHelp')}</Paragraph>
          </div>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('activities.caption')}>
            <Table zebra>
              <caption className="ds-sr-only">{t('activities.caption')}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell>{t('activities.name')}</TableHeaderCell>
                  <TableHeaderCell>{t('activities.kind')}</TableHeaderCell>
                  <TableHeaderCell>{t('activities.starts')}</TableHeaderCell>
                  <TableHeaderCell>{t('activities.participantsDeleted')}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {activities.data.map((activity) => (
                  <TableRow key={activity.id}>
                    <TableCell>
                      <RouteLink to={{ name: 'activity', id: activity.id }}>{activity.name}</RouteLink>
                    </TableCell>
                    <TableCell>{t(`activityKind.${activity.kind}`)}</TableCell>
                    <TableCell>
                      <time dateTime={activity.starts_at}>{formatMoment(activity.starts_at, i18n.language)}</time>
                    </TableCell>
                    <TableCell>
                      <time dateTime={activity.participants_deleted_on}>
                        {formatDate(activity.participants_deleted_on, i18n.language)}
                      </time>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
    </section>
  );
}

// One breach: what happened, the 72-hour clock, assessing and recording the notifications, the
// draft notification to Datatilsynet, and the timeline of who changed what.
import {
  Button,
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { RouteLink } from '../../routing/RouteLink';
import { Details } from '../../ui/Details';
import { LoadState } from '../../ui/LoadState';
import { formatMoment } from '../client/formatMoment';
import { BreachClock } from './BreachClock';
import { EditBreachForm } from './EditBreachForm';
import { NotificationDraft } from './NotificationDraft';
import { useBreach, useBreachTimeline, type BreachRead } from './queries';

export function BreachPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const breach = useBreach(id);
  const [showDraft, setShowDraft] = useState(false);
  return (
    <section className="stack" aria-labelledby="breach-heading">
      <RouteLink to={{ name: 'breaches' }}>{t('breaches.back')}</RouteLink>
      <Heading level={1} data-size="lg" id="breach-heading">
        {t('breaches.detailHeading')}
      </Heading>
      <LoadState isPending={breach.isPending} error={breach.error} failed={t('breaches.loadOneFailed')} notFound={t('breaches.notFound')} />
      {breach.isSuccess && (
        <>
          <BreachDetails breach={breach.data} />
          <div>
            <Button variant="secondary" aria-expanded={showDraft} onClick={() => setShowDraft(!showDraft)}>
              {showDraft ? t('notificationDraft.hide') : t('notificationDraft.show')}
            </Button>
          </div>
          {showDraft && <NotificationDraft id={id} />}
          <EditBreachForm breach={breach.data} />
          <Timeline id={id} />
        </>
      )}
    </section>
  );
}

function BreachDetails({ breach }: { breach: BreachRead }) {
  const { t, i18n } = useTranslation();
  const moment = (iso: string | null | undefined) =>
    iso ? <time dateTime={iso}>{formatMoment(iso, i18n.language)}</time> : null;
  const rows: [string, ReactNode][] = [
    [t('breaches.clock'), <BreachClock key="clock" breach={breach} />],
    [t('breaches.deadline'), breach.authority_notification_required ? moment(breach.authority_deadline_at) : null],
    [t('breaches.detected'), moment(breach.detected_at)],
    [t('breaches.description'), breach.description],
    [t('breaches.risk'), breach.risk ? t(`breachRisk.${breach.risk}`) : t('breaches.riskNotAssessed')],
    [t('breaches.riskAssessment'), breach.risk_assessment],
    [t('breaches.affectedCount'), breach.affected_count?.toString()],
    [t('breaches.recordsCount'), breach.records_count?.toString()],
    [t('breaches.consequences'), breach.consequences],
    [t('breaches.measures'), breach.measures],
    [t('breaches.authorityNotified'), moment(breach.authority_notified_at)],
    [t('breaches.lateReasons'), breach.late_notification_reasons],
    [t('breaches.subjectsRequired'), breach.subjects_notification_required ? t('common.yes') : t('common.no')],
    [t('breaches.subjectsNotified'), moment(breach.subjects_notified_at)],
  ];
  return <Details rows={rows} />;
}

function Timeline({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const timeline = useBreachTimeline(id);
  return (
    <section className="stack" aria-labelledby="timeline-heading">
      <Heading level={2} data-size="md" id="timeline-heading">
        {t('breachTimeline.heading')}
      </Heading>
      <LoadState isPending={timeline.isPending} error={timeline.error} failed={t('breachTimeline.loadFailed')} />
      {timeline.isSuccess && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('breachTimeline.heading')}>
          <Table zebra>
            <TableHead>
              <TableRow>
                <TableHeaderCell>{t('breachTimeline.when')}</TableHeaderCell>
                <TableHeaderCell>{t('breachTimeline.what')}</TableHeaderCell>
                <TableHeaderCell>{t('breachTimeline.who')}</TableHeaderCell>
                <TableHeaderCell>{t('breachTimeline.fields')}</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {timeline.data.map((event) => (
                <TableRow key={`${event.occurred_at}-${event.action}`}>
                  <TableCell>
                    <time dateTime={event.occurred_at}>{formatMoment(event.occurred_at, i18n.language)}</time>
                  </TableCell>
                  <TableCell>{event.action}</TableCell>
                  <TableCell>{event.roles}</TableCell>
                  <TableCell>{event.fields.join(', ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}

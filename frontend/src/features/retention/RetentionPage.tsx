// "Sletting": what each service's nightly sweep will delete in the next 30 days, by rule and date,
// and the scheduler's latest job runs.
import {
  Alert,
  Heading,
  Paragraph,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Tag,
} from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { LoadState } from '../../ui/LoadState';
import { formatDate } from '../clients/formatDate';
import { formatMoment } from '../client/formatMoment';
import { PREVIEW_DAYS, useRetentionPreview, useSchedulerRuns } from './queries';

export function RetentionPage() {
  const { t, i18n } = useTranslation();
  const preview = useRetentionPreview();
  return (
    <div className="workspace">
      <section className="stack" aria-labelledby="retention-heading">
        <Heading level={1} data-size="lg" id="retention-heading">
          {t('retention.heading')}
        </Heading>
        <Paragraph>{t('retention.intro', { days: PREVIEW_DAYS })}</Paragraph>
        <LoadState isPending={preview.isPending} error={preview.error} failed={t('retention.loadFailed')} />
        {preview.isSuccess &&
          preview.data.services.map((service) => (
            <section key={service.service} className="stack" aria-labelledby={`retention-${service.service}`}>
              <Heading level={2} data-size="sm" id={`retention-${service.service}`}>
                {t(`serviceName.${service.service}`, { defaultValue: service.service })}
              </Heading>
              {!service.available ? (
                <Alert data-color="warning">{t('retention.unavailable')}</Alert>
              ) : service.due.length === 0 ? (
                <Paragraph data-size="sm">{t('retention.nothingDue')}</Paragraph>
              ) : (
                <div className="table-scroll" tabIndex={0} role="region" aria-label={t('retention.caption', { service: service.service })}>
                  <Table zebra>
                    <TableHead>
                      <TableRow>
                        <TableHeaderCell>{t('retention.date')}</TableHeaderCell>
                        <TableHeaderCell>{t('retention.what')}</TableHeaderCell>
                        <TableHeaderCell>{t('retention.count')}</TableHeaderCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {service.due.map((due) => (
                        <TableRow key={`${due.rule}-${due.due_date}`}>
                          <TableCell>
                            <time dateTime={due.due_date}>{formatDate(due.due_date, i18n.language)}</time>
                          </TableCell>
                          <TableCell>{due.what_nb ?? due.rule}</TableCell>
                          <TableCell>{due.count}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              )}
            </section>
          ))}
      </section>
      <SchedulerRuns />
    </div>
  );
}

function SchedulerRuns() {
  const { t, i18n } = useTranslation();
  const runs = useSchedulerRuns();
  return (
    <section className="stack" aria-labelledby="runs-heading">
      <Heading level={2} data-size="md" id="runs-heading">
        {t('runs.heading')}
      </Heading>
      <LoadState isPending={runs.isPending} error={runs.error} failed={t('runs.loadFailed')} />
      {runs.isSuccess &&
        (runs.data.length === 0 ? (
          <Paragraph data-size="sm">{t('runs.empty')}</Paragraph>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('runs.heading')}>
            <Table zebra>
              <TableHead>
                <TableRow>
                  <TableHeaderCell>{t('runs.started')}</TableHeaderCell>
                  <TableHeaderCell>{t('runs.job')}</TableHeaderCell>
                  <TableHeaderCell>{t('runs.status')}</TableHeaderCell>
                  <TableHeaderCell>{t('runs.trigger')}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {runs.data.map((run) => (
                  <TableRow key={run.id}>
                    <TableCell>
                      <time dateTime={run.started_at}>{formatMoment(run.started_at, i18n.language)}</time>
                    </TableCell>
                    <TableCell>
                      {run.job_id}
                      {run.service ? ` (${run.service})` : ''}
                    </TableCell>
                    <TableCell>
                      <Tag data-color={run.status === 'ok' ? 'success' : run.status === 'failed' ? 'danger' : 'neutral'}>
                        {t(`runStatus.${run.status}`)}
                      </Tag>
                    </TableCell>
                    <TableCell>{t(`runTrigger.${run.trigger}`)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
    </section>
  );
}

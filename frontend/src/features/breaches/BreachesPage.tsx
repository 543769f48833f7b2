// "Avvik": the breach register, newest first, each with its 72-hour clock; and reporting a new one.
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
import { BreachClock } from './BreachClock';
import { ReportBreachForm } from './ReportBreachForm';
import { useBreaches } from './queries';

export function BreachesPage() {
  const { t, i18n } = useTranslation();
  const breaches = useBreaches();
  const items = [...(breaches.data ?? [])].sort((a, b) => b.detected_at.localeCompare(a.detected_at));
  return (
    <div className="workspace">
      <section className="stack" aria-labelledby="breaches-heading">
        <Heading level={1} data-size="lg" id="breaches-heading">
          {t('breaches.heading')}
        </Heading>
        <Paragraph>{t('breaches.intro')}</Paragraph>
        <LoadState isPending={breaches.isPending} error={breaches.error} failed={t('breaches.loadFailed')} />
        {breaches.isSuccess &&
          (items.length === 0 ? (
            <div className="empty-state">
              <Paragraph>{t('breaches.empty')}</Paragraph>
              <Paragraph data-size="sm">{t('breaches.emptyHelp')}</Paragraph>
            </div>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t('breaches.caption')}>
              <Table zebra>
                <caption className="ds-sr-only">{t('breaches.caption')}</caption>
                <TableHead>
                  <TableRow>
                    <TableHeaderCell>{t('breaches.detected')}</TableHeaderCell>
                    <TableHeaderCell>{t('breaches.risk')}</TableHeaderCell>
                    <TableHeaderCell>{t('breaches.clock')}</TableHeaderCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {items.map((breach) => (
                    <TableRow key={breach.id}>
                      <TableCell>
                        <RouteLink to={{ name: 'breach', id: breach.id }}>
                          {formatMoment(breach.detected_at, i18n.language)}
                        </RouteLink>
                      </TableCell>
                      <TableCell>{breach.risk ? t(`breachRisk.${breach.risk}`) : t('breaches.riskNotAssessed')}</TableCell>
                      <TableCell>
                        <BreachClock breach={breach} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          ))}
      </section>
      <ReportBreachForm />
    </div>
  );
}

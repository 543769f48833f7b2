// "Statistikk": anonymous counters per month or year, a chart of one metric, and the CSV for Bufdir.
import {
  Alert,
  Button,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  SelectOption,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { StatisticsCell, StatisticsTable } from '../../api/types';
import { categoryLabel, metricLabel } from './labels';
import { useExportCsv, useStatistics, type Period } from './queries';

const StatisticsChart = lazy(() => import('./StatisticsChart'));

const thisYear = new Date().getFullYear();
const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
const months = Array.from({ length: 12 }, (_, i) => i + 1);

export function StatisticsPage() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<Period>({ year: thisYear, month: null });
  const statistics = useStatistics(period);
  const exportCsv = useExportCsv();
  const monthName = (month: number) =>
    new Intl.DateTimeFormat(i18n.language, { month: 'long' }).format(new Date(2000, month - 1, 1));

  return (
    <section className="stack" aria-labelledby="statistics-heading">
      <Heading level={1} data-size="lg" id="statistics-heading">
        {t('statistics.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('statistics.intro')}</Paragraph>
      <div className="filters">
        <Field>
          <Label>{t('statistics.year')}</Label>
          <Select
            value={String(period.year)}
            onChange={(event) => setPeriod((p) => ({ ...p, year: Number(event.target.value) }))}
          >
            {years.map((year) => (
              <SelectOption key={year} value={String(year)}>
                {year}
              </SelectOption>
            ))}
          </Select>
        </Field>
        <Field>
          <Label>{t('statistics.month')}</Label>
          <Select
            value={period.month === null ? '' : String(period.month)}
            onChange={(event) =>
              setPeriod((p) => ({ ...p, month: event.target.value ? Number(event.target.value) : null }))
            }
          >
            <SelectOption value="">{t('statistics.wholeYear')}</SelectOption>
            {months.map((month) => (
              <SelectOption key={month} value={String(month)}>
                {monthName(month)}
              </SelectOption>
            ))}
          </Select>
        </Field>
      </div>
      <div>
        <Button variant="secondary" onClick={() => exportCsv.mutate(period)} disabled={exportCsv.isPending}>
          {t('statistics.download')}
        </Button>
      </div>
      {exportCsv.isError && (
        <Alert data-color="danger" role="alert">
          {t('statistics.downloadFailed')}
        </Alert>
      )}
      {statistics.isPending && <Spinner aria-label={t('app.loading')} />}
      {statistics.isError && (
        <Alert data-color="danger" role="alert">
          {t('statistics.loadFailed')}
        </Alert>
      )}
      {statistics.isSuccess &&
        (statistics.data.cells.length === 0 ? (
          <div className="empty-state">
            <Paragraph>{t('statistics.empty')}</Paragraph>
            <Paragraph data-size="sm">{t('statistics.emptyHelp')}</Paragraph>
          </div>
        ) : (
          <Figures table={statistics.data} />
        ))}
    </section>
  );
}

function Figures({ table }: { table: StatisticsTable }) {
  const { t } = useTranslation();
  const byMetric = new Map<string, StatisticsCell[]>();
  for (const cell of table.cells) byMetric.set(cell.metric, [...(byMetric.get(cell.metric) ?? []), cell]);
  const metrics = [...byMetric.keys()];
  const [chosen, setChosen] = useState<string | null>(null);
  const metric = chosen && byMetric.has(chosen) ? chosen : (metrics[0] ?? '');
  const bars = (byMetric.get(metric) ?? []).map((cell) => ({
    label: categoryLabel(t, cell.metric, cell.key),
    count: cell.count ?? 0,
  }));

  return (
    <>
      <figure className="stack chart-figure">
        <Field>
          <Label>{t('statistics.chartFor')}</Label>
          <Select value={metric} onChange={(event) => setChosen(event.target.value)}>
            {metrics.map((m) => (
              <SelectOption key={m} value={m}>
                {metricLabel(t, m)}
              </SelectOption>
            ))}
          </Select>
        </Field>
        <figcaption>
          {t('statistics.chartCaption', { metric: metricLabel(t, metric) })}
          {(byMetric.get(metric) ?? []).some((cell) => cell.suppressed) &&
            ` ${t('statistics.chartSuppressed', { threshold: table.suppression_threshold ?? '' })}`}
        </figcaption>
        <Suspense fallback={<Spinner aria-label={t('statistics.chartLoading')} />}>
          <StatisticsChart bars={bars} />
        </Suspense>
      </figure>
      {metrics.map((m) => (
        <MetricTable key={m} metric={m} cells={byMetric.get(m) ?? []} threshold={table.suppression_threshold} />
      ))}
    </>
  );
}

function MetricTable({ metric, cells, threshold }: { metric: string; cells: StatisticsCell[]; threshold: number | null }) {
  const { t } = useTranslation();
  const caption = metricLabel(t, metric);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <Table zebra data-size="sm">
        <caption>{caption}</caption>
        <TableHead>
          <TableRow>
            <TableHeaderCell>{t('statistics.category')}</TableHeaderCell>
            <TableHeaderCell>{t('statistics.count')}</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {cells.map((cell) => (
            <TableRow key={cell.key}>
              <TableCell>{categoryLabel(t, metric, cell.key)}</TableCell>
              <TableCell>
                {cell.suppressed ? t('statistics.suppressed', { threshold: threshold ?? '' }) : cell.count}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

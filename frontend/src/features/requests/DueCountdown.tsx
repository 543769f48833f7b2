// "12 dager igjen" / "3 dager over fristen": the due-date countdown of an open request.
import { Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { DataRequestRead } from './queries';

const CLOSED = new Set(['completed', 'rejected', 'withdrawn']);
const SOON_DAYS = 7;

export function DueCountdown({ request }: { request: Pick<DataRequestRead, 'days_left' | 'overdue' | 'status'> }) {
  const { t } = useTranslation();
  if (CLOSED.has(request.status)) return <Tag data-color="neutral">{t('requests.closed')}</Tag>;
  const days = request.days_left;
  if (request.overdue || days < 0) {
    return <Tag data-color="danger">{t('requests.overdueBy', { count: Math.abs(days) })}</Tag>;
  }
  if (days === 0) return <Tag data-color="danger">{t('requests.dueToday')}</Tag>;
  return <Tag data-color={days <= SOON_DAYS ? 'warning' : 'info'}>{t('requests.daysLeft', { count: days })}</Tag>;
}

// The 72-hour clock (GDPR Art. 33): time left to tell Datatilsynet, counted from detection.
import { Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { useNow } from '../../ui/useNow';
import { formatMoment } from '../client/formatMoment';
import type { BreachRead } from './queries';

const HOUR = 3_600_000;
const URGENT_HOURS = 24;

export function BreachClock({ breach }: { breach: BreachRead }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  if (breach.authority_notified_at) {
    return (
      <Tag data-color={breach.notified_late ? 'warning' : 'success'}>
        {t(breach.notified_late ? 'breachClock.notifiedLate' : 'breachClock.notified', {
          at: formatMoment(breach.authority_notified_at, i18n.language),
        })}
      </Tag>
    );
  }
  if (!breach.authority_notification_required) return <Tag data-color="neutral">{t('breachClock.notRequired')}</Tag>;
  const left = new Date(breach.authority_deadline_at).getTime() - now;
  const hours = Math.floor(Math.abs(left) / HOUR);
  const minutes = Math.floor((Math.abs(left) % HOUR) / 60_000);
  if (left <= 0) return <Tag data-color="danger">{t('breachClock.overdue', { hours, minutes })}</Tag>;
  return (
    <Tag data-color={hours < URGENT_HOURS ? 'danger' : 'warning'}>{t('breachClock.left', { hours, minutes })}</Tag>
  );
}

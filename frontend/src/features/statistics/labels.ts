// Readable names for the statistics' metrics and category keys (the API sends stable codes).
import type { TFunction } from 'i18next';

export function categoryLabel(t: TFunction, metric: string, key: string): string {
  const maps: Record<string, Record<string, string>> = {
    new_clients_by_gender: t('gender', { returnObjects: true }),
    heard_about: t('heardAbout', { returnObjects: true }),
    contacts_by_kind: t('contactKind', { returnObjects: true }),
    activities: t('activityKind', { returnObjects: true }),
    participants: t('activityKind', { returnObjects: true }),
  };
  if (key === 'unknown' || key === 'none') return t('statistics.unknownCategory');
  return maps[metric]?.[key] ?? key;
}

export function metricLabel(t: TFunction, metric: string): string {
  const labels: Record<string, string> = t('metric', { returnObjects: true });
  return labels[metric] ?? metric;
}

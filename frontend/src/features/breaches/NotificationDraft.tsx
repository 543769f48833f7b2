// The draft notification to Datatilsynet, filled in from the register, to copy into Altinn.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { Details } from '../../ui/Details';
import { LoadState } from '../../ui/LoadState';
import { formatMoment } from '../client/formatMoment';
import { useNotificationDraft } from './queries';

export function NotificationDraft({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const draft = useNotificationDraft(id, true);
  const moment = (iso: string | null | undefined) =>
    iso ? <time dateTime={iso}>{formatMoment(iso, i18n.language)}</time> : null;
  return (
    <section className="stack notification-draft" aria-labelledby="draft-heading">
      <Heading level={2} data-size="md" id="draft-heading">
        {t('notificationDraft.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('notificationDraft.help')}</Paragraph>
      <LoadState isPending={draft.isPending} error={draft.error} failed={t('notificationDraft.loadFailed')} />
      {draft.isSuccess && (
        <Details
          rows={
            [
              [t('notificationDraft.controller'), [draft.data.controller_name, draft.data.controller_org_number].filter(Boolean).join(', ')],
              [
                t('notificationDraft.contact'),
                [draft.data.contact.role_nb, draft.data.contact.name, draft.data.contact.email, draft.data.contact.phone]
                  .filter(Boolean)
                  .join(', '),
              ],
              [t('breaches.detected'), moment(draft.data.detected_at)],
              [t('breaches.deadline'), moment(draft.data.authority_deadline_at)],
              [t('breaches.authorityNotified'), moment(draft.data.authority_notified_at)],
              [t('breaches.lateReasons'), draft.data.late_notification_reasons],
              [t('breaches.description'), draft.data.description],
              [t('notificationDraft.categories'), draft.data.data_categories.map((c) => c.label_nb).join(', ')],
              [t('breaches.affectedCount'), draft.data.affected_count?.toString()],
              [t('breaches.recordsCount'), draft.data.records_count?.toString()],
              [t('breaches.risk'), draft.data.risk ? t(`breachRisk.${draft.data.risk}`) : null],
              [t('breaches.riskAssessment'), draft.data.risk_assessment],
              [t('breaches.consequences'), draft.data.likely_consequences],
              [t('breaches.measures'), draft.data.measures],
              [t('breaches.subjectsRequired'), draft.data.subjects_notification_required ? t('common.yes') : t('common.no')],
              [t('breaches.subjectsInformation'), draft.data.subjects_information],
            ] satisfies [string, ReactNode][]
          }
        />
      )}
    </section>
  );
}

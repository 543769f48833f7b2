// The contacts with a client, newest first: when, what kind, and who recorded it (ids, no content).
import { Alert, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { useCounsellors } from '../register-client/queries';
import { formatMoment } from './formatMoment';
import { useContacts } from './queries';

export function ContactTimeline({ personId }: { personId: string }) {
  const { t, i18n } = useTranslation();
  const contacts = useContacts(personId, true);
  const counsellors = useCounsellors();
  const nameOf = (id: string | null) =>
    (id && counsellors.data?.find((c) => c.id === id)?.display_name) ?? t('contacts.unknownCounsellor');

  if (contacts.isPending) return <Spinner aria-label={t('app.loading')} />;
  if (contacts.isError)
    return (
      <Alert data-color="danger" role="alert">
        {t('contacts.loadFailed')}
      </Alert>
    );
  if (contacts.data.length === 0) return <Paragraph className="empty-state">{t('contacts.empty')}</Paragraph>;
  const sorted = [...contacts.data].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at));
  return (
    <ol className="timeline" aria-label={t('contacts.timeline')}>
      {sorted.map((contact) => (
        <li key={contact.id}>
          <time dateTime={contact.occurred_at}>{formatMoment(contact.occurred_at, i18n.language)}</time>{' '}
          <strong>{t(`contactKind.${contact.kind}`)}</strong> – {nameOf(contact.counsellor_id)}
        </li>
      ))}
    </ol>
  );
}

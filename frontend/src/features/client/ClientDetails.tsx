// The client's record as a description list: only the fields the centre collects are sent.
import { Heading, Tag } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { PersonRead } from '../../api/types';
import { formatDate } from '../clients/formatDate';
import { formatMoment } from './formatMoment';

export function ClientDetails({ person }: { person: PersonRead }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string | null | undefined) =>
    iso ? <time dateTime={iso}>{formatDate(iso, i18n.language)}</time> : undefined;
  const moment = (iso: string | null | undefined) =>
    iso ? <time dateTime={iso}>{formatMoment(iso, i18n.language)}</time> : undefined;

  const rows: [string, ReactNode][] = [
    [t('client.name'), person.anonymous ? t('clients.anonymousClient') : person.full_name],
    [t('register.email'), person.email],
    [t('register.phone'), person.phone],
    [t('client.address'), person.address],
    [t('register.birthDate'), date(person.birth_date)],
    [t('client.nationalId'), person.national_id],
    [t('register.gender'), person.gender ? t(`gender.${person.gender}`) : undefined],
    [t('register.heardAbout'), person.heard_about ? t(`heardAbout.${person.heard_about}`) : undefined],
    [t('clients.columnIntake'), date(person.intake_date)],
    [t('client.lastContact'), moment(person.last_counsellor_contact_at)],
    [t('client.counsellingEnded'), moment(person.counselling_ended_at)],
  ];
  const shown = rows.filter(([, value]) => value !== undefined && value !== null && value !== '');

  return (
    <>
      <div className="retention-due">
        <Tag data-color="warning">
          <span>
            {t('client.retentionDue')} {date(person.retention_due_date)}
          </span>
        </Tag>
      </div>
      <Heading level={2} data-size="md">
        {t('client.contactData')}
      </Heading>
      <dl className="details">
        {shown.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {(person.partner || person.guardian) && (
        <>
          <Heading level={2} data-size="md">
            {t('client.related')}
          </Heading>
          <dl className="details">
            {person.partner && (
              <div>
                <dt>{t('client.partner')}</dt>
                <dd>{[person.partner.name, person.partner.phone].filter(Boolean).join(', ')}</dd>
              </div>
            )}
            {person.guardian && (
              <div>
                <dt>{t('client.guardian')}</dt>
                <dd>
                  {[person.guardian.name, person.guardian.phone, person.guardian.email].filter(Boolean).join(', ')}
                  {person.guardian.consent_date && (
                    <>
                      {' '}
                      ({t('client.guardianConsent')} {date(person.guardian.consent_date)})
                    </>
                  )}
                </dd>
              </div>
            )}
          </dl>
        </>
      )}
    </>
  );
}

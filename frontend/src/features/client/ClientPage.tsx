// One client: contact data, related persons, the retention due date, the contacts timeline,
// recording a contact and ending counselling, and (for those who see newsletters) a link to the
// client's consent history. Without a need to know: the break-glass form.
import { Alert, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import type { PersonRead } from '../../api/types';
import { RouteLink } from '../../routing/RouteLink';
import { BreakGlassForm } from '../break-glass/BreakGlassForm';
import { ClientDetails } from './ClientDetails';
import { ContactForm } from './ContactForm';
import { ContactTimeline } from './ContactTimeline';
import { EndCounselling } from './EndCounselling';
import { useBreakGlass, usePerson } from './queries';

export function ClientPage({ id, consentHistory = false }: { id: string; consentHistory?: boolean }) {
  const { t } = useTranslation();
  const person = usePerson(id);
  const breakGlass = useBreakGlass(id);
  const forbidden = person.error instanceof ApiError && person.error.status === 403;

  return (
    <section className="stack" aria-labelledby="client-heading">
      <RouteLink to={{ name: 'clients' }}>{t('client.back')}</RouteLink>
      <Heading level={1} data-size="lg" id="client-heading">
        {t('client.heading')}
      </Heading>
      {person.isPending && <Spinner aria-label={t('app.loading')} />}
      {person.isError && !forbidden && (
        <Alert data-color="danger" role="alert">
          {person.error instanceof ApiError && person.error.status === 404 ? t('client.notFound') : t('client.loadFailed')}
        </Alert>
      )}
      {forbidden &&
        (breakGlass.data ? (
          <>
            <Alert data-color="warning">{t('breakGlass.logged')}</Alert>
            <ClientDetails person={breakGlass.data} />
          </>
        ) : (
          <BreakGlassForm breakGlass={breakGlass} />
        ))}
      {person.isSuccess && <ClientWork person={person.data} consentHistory={consentHistory} />}
    </section>
  );
}

function ClientWork({ person, consentHistory }: { person: PersonRead; consentHistory: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <ClientDetails person={person} />
      {consentHistory && (
        <section className="stack" aria-labelledby="client-consents-heading">
          <Heading level={2} data-size="md" id="client-consents-heading">
            {t('client.consentsHeading')}
          </Heading>
          <Paragraph>{t('client.consentsHelp')}</Paragraph>
          {/* The client's id only in the URL, as everywhere in the app. */}
          <RouteLink to={{ name: 'consentHistory', id: person.id }}>{t('client.consentsLink')}</RouteLink>
        </section>
      )}
      <section className="stack" aria-labelledby="contacts-heading">
        <Heading level={2} data-size="md" id="contacts-heading">
          {t('contacts.heading')}
        </Heading>
        {person.counselling_ended_at ? (
          <Paragraph>{t('contacts.ended')}</Paragraph>
        ) : (
          <ContactForm personId={person.id} />
        )}
        <ContactTimeline personId={person.id} />
      </section>
      {!person.counselling_ended_at && <EndCounselling personId={person.id} />}
    </>
  );
}

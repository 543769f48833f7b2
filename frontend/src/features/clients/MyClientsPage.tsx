// "Mine klienter": the clients the signed-in counsellor may see, with intake and deletion dates.
import {
  Alert,
  Heading,
  Paragraph,
  Spinner,
} from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { ClientSearch } from './ClientSearch';
import { ClientTable } from './ClientTable';
import { usePersons } from './queries';

export function MyClientsPage({ canRegister }: { canRegister: boolean }) {
  const { t } = useTranslation();
  const persons = usePersons();

  return (
    <section className="stack" aria-labelledby="clients-heading">
      <Heading level={1} data-size="lg" id="clients-heading">
        {t('clients.heading')}
      </Heading>
      <ClientSearch />
      {persons.isPending && <Spinner aria-label={t('app.loading')} />}
      {persons.isError && (
        <Alert data-color="danger" role="alert">
          {t('clients.loadFailed')}
        </Alert>
      )}
      {persons.isSuccess &&
        (persons.data.length === 0 ? (
          <EmptyState canRegister={canRegister} />
        ) : (
          <ClientTable persons={persons.data} />
        ))}
    </section>
  );
}

function EmptyState({ canRegister }: { canRegister: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="empty-state">
      <Paragraph>{t('clients.empty')}</Paragraph>
      <Paragraph data-size="sm">{canRegister ? t('clients.emptyCoordinator') : t('clients.emptyCounsellor')}</Paragraph>
    </div>
  );
}

// "Mine opplysninger" for a client signed in with BankID: see the data (access package), ask for
// correction or erasure, follow the requests, and newsletters; confirming an e-mail address first
// lets every request and the newsletters reach what is held under it.
import { Alert, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { DataRequestSummary, RequestType } from '../../api/types';
import { AccessSection } from './AccessSection';
import { CorrectionForm } from './CorrectionForm';
import { EmailProofProvider } from './emailProof';
import { EmailProofStep } from './EmailProofStep';
import { ErasureSection } from './ErasureSection';
import { NewsletterSection } from './NewsletterSection';
import { useMyRequests } from './queries';
import { RequestList } from './RequestList';

function latestOf(requests: DataRequestSummary[], type: RequestType): DataRequestSummary | undefined {
  return requests
    .filter((request) => request.type === type)
    .reduce<DataRequestSummary | undefined>((latest, r) => (!latest || r.received_at > latest.received_at ? r : latest), undefined);
}

export function MyDataPage() {
  const { t } = useTranslation();
  const requests = useMyRequests();
  const all = requests.data ?? [];
  const newestFirst = [...all].sort((a, b) => b.received_at.localeCompare(a.received_at));

  return (
    <EmailProofProvider>
      <div className="stack my-data">
        <Heading level={1} data-size="lg">
          {t('nav.myData')}
        </Heading>
        <Paragraph>{t('myData.intro')}</Paragraph>
        {requests.isPending && <Spinner aria-label={t('app.loading')} />}
        {requests.isError && (
          <Alert data-color="danger" role="alert">
            {t('myData.loadFailed')}
          </Alert>
        )}
        {requests.isSuccess && (
          <>
            <EmailProofStep />
            <AccessSection latest={latestOf(all, 'access')} />
            <CorrectionForm />
            <ErasureSection latest={latestOf(all, 'erasure')} />
            <RequestList requests={newestFirst} />
          </>
        )}
        <NewsletterSection />
      </div>
    </EmailProofProvider>
  );
}

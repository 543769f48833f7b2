// "Se opplysningene dine": files an access request, shows progress while the package is being
// collected from every system, then the package itself and a download of it.
import { Alert, Button, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import type { AccessPackage, DataRequestSummary } from '../../api/types';
import { AccessPackageView } from './AccessPackageView';
import { useEmailProof } from './emailProof';
import { automaticTasksDone, fetchPackagePage, isOpen, useAccessPackage, useFileRequest } from './queries';
import { TaskProgress } from './TaskProgress';

// File names carry a date only, never who the package is about.
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function downloadJson(accessPackage: AccessPackage) {
  const blob = new Blob([JSON.stringify(accessPackage, null, 2)], { type: 'application/json' });
  save(blob, `innsyn-${accessPackage.generated_at.slice(0, 10)}.json`);
}

export function AccessSection({ latest }: { latest: DataRequestSummary | undefined }) {
  const { t } = useTranslation();
  const file = useFileRequest();
  const accessPackage = useAccessPackage(latest);
  const { proof } = useEmailProof();
  const nothingFound =
    accessPackage.data !== undefined &&
    Object.values(accessPackage.data.services).every((exported) => exported.subjects.length === 0);
  const collecting = file.isPending || (latest !== undefined && isOpen(latest.status) && !automaticTasksDone(latest));
  const page = useMutation({
    mutationFn: async (request: DataRequestSummary) => {
      const blob = await fetchPackagePage(request.id);
      save(blob, `innsyn-${new Date().toISOString().slice(0, 10)}.html`);
    },
  });

  return (
    <section className="stack" aria-labelledby="access-heading">
      <Heading level={2} data-size="md" id="access-heading">
        {t('myData.accessHeading')}
      </Heading>
      <Paragraph>{t('myData.accessIntro')}</Paragraph>
      <div role="status" className="stack">
        {collecting && (
          <div className="progress">
            <Spinner aria-hidden data-size="sm" />
            <span>{t('myData.collecting')}</span>
          </div>
        )}
        {!collecting && accessPackage.isSuccess && (
          <span>{t('myData.packageReady')}</span>
        )}
      </div>
      {(file.isError || latest?.status === 'failed') && !collecting && (
        <Alert data-color="danger" role="alert">
          {t('myData.accessFailed')}
        </Alert>
      )}
      {latest?.identifiers_shredded && (
        <Paragraph>{t('myData.packageErased')}</Paragraph>
      )}
      {page.isError && (
        <Alert data-color="danger" role="alert">
          {t('myData.packageFailed')}
        </Alert>
      )}
      {latest && isOpen(latest.status) && (
        <TaskProgress tasks={latest.tasks} label={t('myData.accessProgress')} />
      )}
      {accessPackage.isError && (
        <Alert data-color="danger" role="alert">
          {t('myData.packageFailed')}
        </Alert>
      )}
      <div className="button-row">
        <Button variant={accessPackage.data ? 'secondary' : 'primary'} disabled={collecting} onClick={() => file.mutate({ type: 'access' })}>
          {accessPackage.data ? t('myData.accessAgain') : t('myData.accessRequest')}
        </Button>
        {accessPackage.data && (
          <>
            <Button variant="primary" onClick={() => accessPackage.data && downloadJson(accessPackage.data)}>
              {t('myData.downloadJson')}
            </Button>
            <Button variant="secondary" disabled={page.isPending} onClick={() => latest && page.mutate(latest)}>
              {t('myData.downloadHtml')}
            </Button>
          </>
        )}
      </div>
      {nothingFound && !proof && <Paragraph>{t('myData.nothingFoundHint')}</Paragraph>}
      {accessPackage.data && <AccessPackageView accessPackage={accessPackage.data} />}
    </section>
  );
}

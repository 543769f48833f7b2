// "Se opplysningene dine": files an access request, shows progress while the package is being
// collected from every system, then the package itself and a download of it.
import { Alert, Button, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { AccessPackage, DataRequestRead } from '../../api/types';
import { AccessPackageView } from './AccessPackageView';
import { isOpen, useAccessPackage, useFileRequest } from './queries';

function download(accessPackage: AccessPackage) {
  const blob = new Blob([JSON.stringify(accessPackage, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  // The file name carries a date only, never who it is about.
  link.download = `innsyn-${accessPackage.generated_at.slice(0, 10)}.json`;
  link.click();
  URL.revokeObjectURL(url);
}

export function AccessSection({ latest }: { latest: DataRequestRead | undefined }) {
  const { t } = useTranslation();
  const file = useFileRequest();
  const accessPackage = useAccessPackage(latest);
  const collecting = file.isPending || (latest !== undefined && isOpen(latest.status));

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
        {!collecting && latest?.status === 'completed' && accessPackage.isSuccess && (
          <span>{t('myData.packageReady')}</span>
        )}
      </div>
      {(file.isError || latest?.status === 'failed') && !collecting && (
        <Alert data-color="danger" role="alert">
          {t('myData.accessFailed')}
        </Alert>
      )}
      {latest?.status === 'completed' && latest.identifiers_shredded && (
        <Paragraph>{t('myData.packageErased')}</Paragraph>
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
          <Button variant="primary" onClick={() => accessPackage.data && download(accessPackage.data)}>
            {t('myData.downloadJson')}
          </Button>
        )}
      </div>
      {accessPackage.data && <AccessPackageView accessPackage={accessPackage.data} />}
    </section>
  );
}

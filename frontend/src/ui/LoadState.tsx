// What a screen shows while its data loads or when it could not be fetched.
import { Alert, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../api/problem';

export function LoadState({
  isPending,
  error,
  failed,
  notFound,
}: {
  isPending: boolean;
  error: Error | null;
  failed: string;
  notFound?: string;
}) {
  const { t } = useTranslation();
  if (isPending) return <Spinner aria-label={t('app.loading')} />;
  if (!error) return null;
  const message =
    notFound && error instanceof ApiError && error.status === 404
      ? notFound
      : error instanceof ApiError && error.status === 403
        ? t('form.forbidden')
        : failed;
  return (
    <Alert data-color="danger" role="alert">
      {message}
    </Alert>
  );
}

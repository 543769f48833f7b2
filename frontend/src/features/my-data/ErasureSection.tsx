// "Be om sletting": asks once more, then files the erasure and shows the status the API gives,
// followed while it is in progress (Nok. Bergen grants it at once; others handle it in turn).
import { Alert, Button, Dialog, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { DataRequestSummary } from '../../api/types';
import { automaticTasksDone, isOpen, useFileRequest } from './queries';
import { StatusTag } from './StatusTag';
import { TaskProgress } from './TaskProgress';

export function ErasureSection({ latest }: { latest: DataRequestSummary | undefined }) {
  const { t } = useTranslation();
  const file = useFileRequest();
  const dialog = useRef<HTMLDialogElement>(null);
  const pending = latest !== undefined && isOpen(latest.status);

  return (
    <section className="stack" aria-labelledby="erasure-heading">
      <Heading level={2} data-size="md" id="erasure-heading">
        {t('myData.erasureHeading')}
      </Heading>
      <Paragraph>{t('myData.erasureIntro')}</Paragraph>
      <div role="status" className="stack">
        {latest && (
          <Paragraph>
            {t('myData.erasureStatus')} <StatusTag status={latest.status} />{' '}
            {latest.status === 'completed'
              ? t('myData.erasureDone')
              : pending && automaticTasksDone(latest)
                ? t('myData.erasureManualLeft')
                : pending
                  ? t('myData.erasurePending')
                  : ''}
          </Paragraph>
        )}
      </div>
      {latest && latest.status !== 'completed' && (
        <TaskProgress tasks={latest.tasks} label={t('myData.erasureProgress')} />
      )}
      {file.isError && (
        <Alert data-color="danger" role="alert">
          {t('myData.requestFailed')}
        </Alert>
      )}
      {!pending && latest?.status !== 'completed' && (
        <Button variant="secondary" data-color="danger" onClick={() => dialog.current?.showModal()}>
          {t('myData.erasureOpen')}
        </Button>
      )}
      <Dialog ref={dialog} closeButton={t('dialog.close')} aria-labelledby="erasure-dialog-heading">
        <Heading level={2} data-size="sm" id="erasure-dialog-heading">
          {t('myData.erasureConfirmHeading')}
        </Heading>
        <Paragraph>{t('myData.erasureConfirmText')}</Paragraph>
        <div className="button-row">
          <Button
            data-color="danger"
            onClick={() => {
              dialog.current?.close();
              file.mutate({ type: 'erasure' });
            }}
          >
            {t('myData.erasureConfirm')}
          </Button>
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {t('dialog.cancel')}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}

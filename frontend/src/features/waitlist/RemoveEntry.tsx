// "Fjern fra ventelisten": deletes the entry (its key is shredded), after a confirmation.
import { Alert, Button, Dialog, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { navigate } from '../../routing/navigation';
import { useRemoveWaitlistEntry } from './queries';

export function RemoveEntry({ entryId }: { entryId: string }) {
  const { t } = useTranslation();
  const remove = useRemoveWaitlistEntry(entryId);
  const dialog = useRef<HTMLDialogElement>(null);

  return (
    <section className="stack" aria-labelledby="remove-heading">
      <Heading level={2} data-size="md" id="remove-heading">
        {t('remove.heading')}
      </Heading>
      <Button variant="secondary" data-color="danger" onClick={() => dialog.current?.showModal()}>
        {t('remove.open')}
      </Button>
      {remove.isError && (
        <Alert data-color="danger" role="alert">
          {t('remove.failed')}
        </Alert>
      )}
      <Dialog ref={dialog} closeButton={t('dialog.close')} aria-labelledby="remove-dialog-heading">
        <Heading level={2} data-size="sm" id="remove-dialog-heading">
          {t('remove.confirmHeading')}
        </Heading>
        <Paragraph>{t('remove.confirmText')}</Paragraph>
        <div className="button-row">
          <Button
            data-color="danger"
            onClick={() => {
              dialog.current?.close();
              remove.mutate(undefined, { onSuccess: () => navigate({ name: 'waitlist' }) });
            }}
          >
            {t('remove.confirm')}
          </Button>
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {t('dialog.cancel')}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}

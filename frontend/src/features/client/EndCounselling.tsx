// "Avslutt veiledning": asks once more, because ending counselling starts the retention clock.
import { Alert, Button, Dialog, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { useEndCounselling } from './queries';

export function EndCounselling({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const end = useEndCounselling(personId);
  const dialog = useRef<HTMLDialogElement>(null);

  return (
    <section className="stack" aria-labelledby="end-heading">
      <Heading level={2} data-size="md" id="end-heading">
        {t('endCounselling.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('endCounselling.intro')}</Paragraph>
      <Button variant="secondary" onClick={() => dialog.current?.showModal()}>
        {t('endCounselling.open')}
      </Button>
      {end.isError && (
        <Alert data-color="danger" role="alert">
          {t('endCounselling.failed')}
        </Alert>
      )}
      <Dialog ref={dialog} closeButton={t('dialog.close')} aria-labelledby="end-dialog-heading">
        <Heading level={2} data-size="sm" id="end-dialog-heading">
          {t('endCounselling.confirmHeading')}
        </Heading>
        <Paragraph>{t('endCounselling.confirmText')}</Paragraph>
        <div className="button-row">
          <Button
            onClick={() => {
              dialog.current?.close();
              end.mutate();
            }}
          >
            {t('endCounselling.confirm')}
          </Button>
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {t('dialog.cancel')}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}

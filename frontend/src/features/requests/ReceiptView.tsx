// The signed receipt of a completed erasure: per store what was erased and what was kept under
// which law, the receipt itself (a compact JWS) to download, and the key that verifies it.
import {
  Button,
  Card,
  Heading,
  Link,
  Paragraph,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { jwtDecode } from 'jwt-decode';
import { useTranslation } from 'react-i18next';

import { Details } from '../../ui/Details';
import { LoadState } from '../../ui/LoadState';
import { formatMoment } from '../client/formatMoment';
import { useReceipt, type DataRequestRead, type StoreReceipt } from './queries';

export const JWKS_URL = '/dsar/.well-known/jwks.json';

/** The key id in the JWS's protected header; the signature is checked by whoever verifies it. */
function keyId(jws: string): string | null {
  try {
    return jwtDecode(jws, { header: true }).kid ?? null;
  } catch {
    return null;
  }
}

// The file is named by the request id only, never by whom it is about.
function download(jws: string, requestId: string) {
  const url = URL.createObjectURL(new Blob([jws], { type: 'application/jose' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `slettekvittering-${requestId}.jws`;
  link.click();
  URL.revokeObjectURL(url);
}

export function ReceiptView({ request }: { request: DataRequestRead }) {
  const { t, i18n } = useTranslation();
  const receipt = useReceipt(request.id, request.receipt_available);
  if (!request.receipt_available) return null;
  const kid = receipt.data ? keyId(receipt.data.jws) : null;
  return (
    <section className="stack" aria-labelledby="receipt-heading">
      <Heading level={2} data-size="md" id="receipt-heading">
        {t('receipt.heading')}
      </Heading>
      <LoadState isPending={receipt.isPending} error={receipt.error} failed={t('receipt.loadFailed')} />
      {receipt.data && (
        <>
          <Paragraph>{t('receipt.intro')}</Paragraph>
          <Details
            rows={[
              [t('receipt.org'), receipt.data.receipt.org],
              [t('receipt.received'), formatMoment(receipt.data.receipt.received_at, i18n.language)],
              [t('receipt.completed'), formatMoment(receipt.data.receipt.completed_at, i18n.language)],
              [t('receipt.signed'), formatMoment(new Date(receipt.data.receipt.iat * 1000).toISOString(), i18n.language)],
              [t('receipt.keyId'), kid ? <code key="kid">{kid}</code> : null],
            ]}
          />
          {receipt.data.receipt.stores.map((store) => (
            <StoreCard key={store.target} store={store} />
          ))}
          <Paragraph data-size="sm">
            {t('receipt.verifyHelp')} <Link href={JWKS_URL}>{t('receipt.jwksLink')}</Link>
          </Paragraph>
          <div className="button-row">
            <Button type="button" variant="secondary" onClick={() => receipt.data && download(receipt.data.jws, request.id)}>
              {t('receipt.download')}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

function StoreCard({ store }: { store: StoreReceipt }) {
  const { t, i18n } = useTranslation();
  const headingId = `receipt-${store.target}`;
  const erased = store.erased.flatMap((item) => item.categories);
  return (
    <Card data-color="neutral">
      <section className="stack" aria-labelledby={headingId}>
        <Heading level={3} data-size="sm" id={headingId}>
          {store.name}
        </Heading>
        <Paragraph data-size="sm">
          {t(`taskKind.${store.kind}`)}, {t('receipt.storeDone', { moment: formatMoment(store.completed_at, i18n.language) })}
        </Paragraph>
        <Paragraph>
          {erased.length > 0
            ? t('receipt.erased', { categories: [...new Set(erased)].join(', ') })
            : store.kind === 'manual'
              ? t('receipt.erasedByHand')
              : t('receipt.nothingHeld')}
        </Paragraph>
        {store.kept.length === 0 ? (
          <Paragraph>{t('receipt.nothingKept')}</Paragraph>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('receipt.keptIn', { name: store.name })}>
            <Table>
              <caption>{t('receipt.keptIn', { name: store.name })}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell>{t('receipt.keptCategory')}</TableHeaderCell>
                  <TableHeaderCell>{t('receipt.keptReason')}</TableHeaderCell>
                  <TableHeaderCell>{t('receipt.keptLaw')}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {store.kept.map((item) => (
                  <TableRow key={`${item.category}-${item.reason}`}>
                    <TableCell>{item.category}</TableCell>
                    <TableCell>{item.reason}</TableCell>
                    <TableCell>{item.law ?? t('receipt.noLaw')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
    </Card>
  );
}

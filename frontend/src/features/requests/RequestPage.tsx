// One data-subject request: who asked for what, the due-date countdown, the progress per store,
// moving it on (with four-eyes approval of erasures and a reason for a rejection), extension, the
// manual tasks marked done and failed calls tried again, and a completed erasure's signed receipt.
import { Heading } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { RouteLink } from '../../routing/RouteLink';
import { Details } from '../../ui/Details';
import { LoadState } from '../../ui/LoadState';
import { formatDate } from '../clients/formatDate';
import { formatMoment } from '../client/formatMoment';
import { DueCountdown } from './DueCountdown';
import { ExtensionForm } from './ExtensionForm';
import { Failure } from './Failure';
import { ReceiptView } from './ReceiptView';
import { TaskProgress } from './TaskProgress';
import { TransitionForm } from './TransitionForm';
import { useRequest, type DataRequestRead } from './queries';

export function RequestPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const request = useRequest(id);
  return (
    <section className="stack" aria-labelledby="request-heading">
      <RouteLink to={{ name: 'requests' }}>{t('requests.back')}</RouteLink>
      <Heading level={1} data-size="lg" id="request-heading">
        {request.data ? t('requests.detailHeading', { type: t(`requestType.${request.data.type}`) }) : t('requests.detailFallback')}
      </Heading>
      <LoadState
        isPending={request.isPending}
        error={request.error}
        failed={t('requests.loadOneFailed')}
        notFound={t('requests.notFound')}
      />
      {request.isSuccess && (
        <>
          <RequestDetails request={request.data} />
          <TaskProgress request={request.data} />
          <ReceiptView request={request.data} />
          <TransitionForm request={request.data} />
          <ExtensionForm request={request.data} />
        </>
      )}
    </section>
  );
}

function RequestDetails({ request }: { request: DataRequestRead }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string | null | undefined) =>
    iso ? <time dateTime={iso}>{formatDate(iso, i18n.language)}</time> : null;
  const moment = (iso: string | null | undefined) =>
    iso ? <time dateTime={iso}>{formatMoment(iso, i18n.language)}</time> : null;
  const rows: [string, ReactNode][] = [
    [t('requests.status'), t(`requestStatus.${request.status}`)],
    [t('requests.countdown'), <DueCountdown key="countdown" request={request} />],
    [t('requests.due'), date(request.due_date)],
    [t('requests.firstDue'), request.first_due_date !== request.due_date ? date(request.first_due_date) : null],
    [t('requests.received'), moment(request.received_at)],
    [t('requests.channel'), t(`requestChannel.${request.channel}`)],
    [t('requests.identityCheck'), request.identity_check ? t(`identityCheck.${request.identity_check}`) : null],
    [t('requests.subjectName'), request.subject.name],
    [t('requests.subjectEmail'), request.subject.email],
    [t('requests.subjectNationalId'), request.subject.national_id],
    [t('requests.identifiersShredded'), request.identifiers_shredded ? t('common.yes') : null],
    [
      t('requests.approval'),
      request.approval
        ? `${t(`approvalKind.${request.approval.kind}`)}, ${formatMoment(request.approval.approved_at, i18n.language)}`
        : null,
    ],
    [t('requests.rejectionReason'), request.rejection_reason ? t(`rejectionReason.${request.rejection_reason}`) : null],
    [
      t('requests.extension'),
      request.extension
        ? t('requests.extensionSummary', {
            months: request.extension.months,
            reason: t(`extensionReason.${request.extension.reason}`),
            date: formatDate(request.extension.letter_sent_date, i18n.language),
            via: t(`letterChannel.${request.extension.letter_sent_via}`),
          })
        : null,
    ],
    [t('requests.completed'), moment(request.completed_at)],
    // dsar keeps no kind with a request's own error (the failed calls have theirs in the tasks),
    // so it is said in general terms, with dsar's text as the technical detail.
    [t('requests.error'), request.error ? <Failure key="error" technical={request.error}>{t('requests.errorSaid')}</Failure> : null],
  ];
  return <Details rows={rows} />;
}

// "Forespørslene mine": every request the client has made, with its status and due date.
import { Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { DataRequestSummary } from '../../api/types';
import { formatDate } from './formatting';
import { StatusTag } from './StatusTag';

export function RequestList({ requests }: { requests: DataRequestSummary[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="stack" aria-labelledby="requests-heading">
      <Heading level={2} data-size="md" id="requests-heading">
        {t('myData.requestsHeading')}
      </Heading>
      {requests.length === 0 ? (
        <Paragraph>{t('myData.requestsEmpty')}</Paragraph>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="requests-caption" tabIndex={0}>
          <Table>
            <caption id="requests-caption">{t('myData.requestsCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('myData.requestType')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('myData.received')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('myData.dueDate')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('myData.status')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {requests.map((request) => (
                <Table.Row key={request.id}>
                  <Table.HeaderCell scope="row">{t(`requestType.${request.type}`)}</Table.HeaderCell>
                  <Table.Cell>{formatDate(request.received_at, i18n.language)}</Table.Cell>
                  <Table.Cell>{formatDate(request.due_date, i18n.language)}</Table.Cell>
                  <Table.Cell>
                    <StatusTag status={request.status} />
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
    </section>
  );
}

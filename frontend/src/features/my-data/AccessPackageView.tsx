// The access package (innsyn) as a page: per system, each category with its purpose, legal basis,
// source, recipients and deletion date, the data itself, and who looked at it when.
import { Card, Heading, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';

import type { AccessPackage, ServiceExport } from '../../api/types';
import { fieldName, fieldValue, formatDate, formatMoment } from './formatting';

export function AccessPackageView({ accessPackage }: { accessPackage: AccessPackage }) {
  const { t, i18n } = useTranslation();
  const services = Object.entries(accessPackage.services);
  return (
    <div className="stack">
      <Paragraph data-size="sm">
        {t('myData.generatedAt', { when: formatMoment(accessPackage.generated_at, i18n.language) })}
      </Paragraph>
      {services.map(([name, exported]) => (
        <ServiceSection key={name} name={name} exported={exported} />
      ))}
    </div>
  );
}

function serviceLabel(t: ReturnType<typeof useTranslation>['t'], name: string): string {
  return name === 'registry' || name === 'consent' || name === 'dsar' ? t(`myData.services.${name}`) : name;
}

function ServiceSection({ name, exported }: { name: string; exported: ServiceExport }) {
  const { t, i18n } = useTranslation();
  const headingId = `package-${name}`;
  const categories = exported.subjects.flatMap((subject) => subject.categories);
  const accessLog = exported.subjects.flatMap((subject) => subject.access_log);
  return (
    <section className="stack package" aria-labelledby={headingId}>
      <Heading level={3} data-size="sm" id={headingId}>
        {serviceLabel(t, name)}
      </Heading>
      {categories.length === 0 && <Paragraph>{t('myData.nothingHeld')}</Paragraph>}
      {categories.map((category, index) => (
        <Card key={`${category.category}-${index}`} data-color="neutral" className="package__category">
          <Heading level={4} data-size="xs">
            {fieldName(category.category)}
          </Heading>
          <dl className="facts">
            <dt>{t('notice.purpose')}</dt>
            <dd>{category.purpose}</dd>
            <dt>{t('notice.legalBasis')}</dt>
            <dd>{category.legal_basis}</dd>
            <dt>{t('notice.source')}</dt>
            <dd>{category.source}</dd>
            <dt>{t('notice.recipients')}</dt>
            <dd>{category.recipients.length > 0 ? category.recipients.join(', ') : t('notice.notShared')}</dd>
            <dt>{t('myData.deletedOn')}</dt>
            <dd>{category.retention_due_date ? formatDate(category.retention_due_date, i18n.language) : t('myData.noDate')}</dd>
            {Object.entries(category.data).map(([key, value]) => (
              <Fragment key={key}>
                <dt>{fieldName(key)}</dt>
                <dd>{fieldValue(value)}</dd>
              </Fragment>
            ))}
          </dl>
        </Card>
      ))}
      {accessLog.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={`${headingId}-log`} tabIndex={0}>
          <Table data-size="sm">
            <caption id={`${headingId}-log`}>{t('myData.accessLog', { service: serviceLabel(t, name) })}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('myData.when')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('myData.who')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('myData.what')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {accessLog.map((entry, index) => (
                <Table.Row key={`${entry.occurred_at}-${index}`}>
                  <Table.Cell>{formatMoment(entry.occurred_at, i18n.language)}</Table.Cell>
                  <Table.Cell>{entry.roles || entry.actor_kind}</Table.Cell>
                  <Table.Cell>
                    {entry.action}
                    {entry.break_glass && (
                      <>
                        {' '}
                        <Tag data-color="warning" data-size="sm">
                          {t('myData.breakGlass')}
                        </Tag>
                      </>
                    )}
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

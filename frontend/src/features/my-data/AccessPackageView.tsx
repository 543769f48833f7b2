// The access package (innsyn) as a page: per system, each category with its purpose, legal basis,
// source, recipients and deletion date, the data itself, and who looked at it when.
import { Card, Heading, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';

import type { AccessPackage, ServiceExport } from '../../api/types';
import { fieldValue, formatDate, formatMoment } from './formatting';
import { usePackageWords, type PackageWords } from './packageWords';

export function AccessPackageView({ accessPackage }: { accessPackage: AccessPackage }) {
  const { t, i18n } = useTranslation();
  const services = Object.entries(accessPackage.services);
  const outside = accessPackage.outside_places ?? [];
  return (
    <div className="stack">
      <Paragraph data-size="sm">
        {t('myData.generatedAt', { when: formatMoment(accessPackage.generated_at, i18n.language) })}
      </Paragraph>
      {services.map(([name, exported]) => (
        <ServiceSection key={name} name={name} exported={exported} />
      ))}
      {outside.length > 0 && (
        <section className="stack package" aria-labelledby="package-outside">
          <Heading level={3} data-size="sm" id="package-outside">
            {t('myData.outsidePlaces')}
          </Heading>
          <Paragraph>{t('myData.outsidePlacesIntro')}</Paragraph>
          <ul>
            {outside.map((place) => (
              <li key={place.system}>
                <strong>{place.name}</strong> ({place.kind_nb}){place.activities_nb.length > 0 ? `: ${place.activities_nb.join(', ')}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** A store's name in the reader's language; a store the app has no words for keeps its own name. */
function useServiceLabel(name: string): string {
  const { t } = useTranslation();
  if (name === 'registry') return t('myData.services.registry');
  if (name === 'consent') return t('myData.services.consent');
  if (name === 'dsar') return t('myData.services.dsar');
  return name;
}

function ServiceSection({ name, exported }: { name: string; exported: ServiceExport }) {
  const { t, i18n } = useTranslation();
  const words = usePackageWords();
  const serviceName = useServiceLabel(name);
  const headingId = `package-${name}`;
  const categories = exported.subjects.flatMap((subject) => subject.categories);
  const accessLog = exported.subjects.flatMap((subject) => subject.access_log);
  return (
    <section className="stack package" aria-labelledby={headingId}>
      <Heading level={3} data-size="sm" id={headingId}>
        {serviceName}
      </Heading>
      {categories.length === 0 && <Paragraph>{t('myData.nothingHeld')}</Paragraph>}
      {categories.map((category, index) => (
        <Card key={`${category.category}-${index}`} data-color="neutral" className="package__category">
          <Heading level={4} data-size="xs">
            {words.category(category.category)}
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
                <dt>{words.field(key)}</dt>
                <dd>
                  <DataValue field={key} value={value} words={words} />
                </dd>
              </Fragment>
            ))}
          </dl>
        </Card>
      ))}
      {accessLog.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={`${headingId}-log`} tabIndex={0}>
          <Table data-size="sm">
            <caption id={`${headingId}-log`}>{t('myData.accessLog', { service: serviceName })}</caption>
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
                  <Table.Cell>{entry.roles || words.actor(entry.actor_kind)}</Table.Cell>
                  <Table.Cell>
                    {words.action(entry.action)}
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

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** One stored value: coded values in words, lists and nested records (a declaration, contacts) laid out with their labels. */
function DataValue({ field, value, words }: { field: string; value: unknown; words: PackageWords }) {
  const { t, i18n } = useTranslation();
  if (typeof value === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  if (typeof value === 'string' && DATE.test(value)) return <>{formatDate(value, i18n.language)}</>;
  if (typeof value === 'string' && MOMENT.test(value)) return <>{formatMoment(value, i18n.language)}</>;
  if (typeof value === 'string') return <>{words.value(field, value) || '–'}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>–</>;
    return (
      <ul className="package__list">
        {(value as unknown[]).map((item, index) => (
          <li key={index}>
            <DataValue field={field} value={item} words={words} />
          </li>
        ))}
      </ul>
    );
  }
  if (value !== null && typeof value === 'object') {
    return (
      <dl className="facts facts--nested">
        {Object.entries(value as Record<string, unknown>).map(([key, inner]) => (
          <Fragment key={key}>
            <dt>{words.field(key)}</dt>
            <dd>
              <DataValue field={key} value={inner} words={words} />
            </dd>
          </Fragment>
        ))}
      </dl>
    );
  }
  return <>{fieldValue(value)}</>;
}

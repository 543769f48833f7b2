// The rendered privacy notice as a page of the app: the same sections as the notice the registry
// renders to HTML, with a table of contents and the way to "Mine opplysninger".
import { Alert, Heading, Link, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { NoticeContact, PrivacyNotice } from '../../api/types';
import { RouteLink } from '../../routing/RouteLink';
import { usePrivacyNotice } from './queries';

export function PrivacyNoticePage() {
  const { t } = useTranslation();
  const notice = usePrivacyNotice();

  if (notice.isPending) return <Spinner aria-label={t('app.loading')} />;
  if (notice.isError) {
    return (
      <Alert data-color="danger" role="alert">
        {t('notice.loadFailed')}
      </Alert>
    );
  }
  return <Notice notice={notice.data} />;
}

function Contact({ contact }: { contact: NoticeContact }) {
  const { t } = useTranslation();
  return (
    <>
      <Link href={`mailto:${contact.email}`}>{contact.email}</Link>
      {contact.phone && (
        <>
          {` ${t('notice.or')} `}
          <Link href={`tel:${contact.phone.replace(/\s/g, '')}`}>{contact.phone}</Link>
        </>
      )}
    </>
  );
}

const upfirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function Notice({ notice }: { notice: PrivacyNotice }) {
  const { t } = useTranslation();
  const sections = [
    ['notice-controller', t('notice.controller')],
    ['notice-activities', t('notice.activities')],
    ['notice-retention', t('notice.retention')],
    ...(notice.newsletters.length > 0 ? [['notice-newsletters', t('notice.newsletters')]] : []),
    ['notice-rights', t('notice.rights')],
    ['notice-breaches', t('notice.breaches')],
    ['notice-contact', t('notice.contact')],
  ] as const;

  return (
    <article className="notice stack" lang={notice.language} aria-labelledby="notice-heading">
      <Heading level={1} data-size="lg" id="notice-heading">
        {notice.title}
      </Heading>
      <Paragraph>{t('notice.intro', { org: notice.org_name })}</Paragraph>
      <nav aria-label={t('notice.contents')}>
        <ul className="notice__contents">
          {sections.map(([id, label]) => (
            <li key={id}>
              <Link href={`#${id}`}>{label}</Link>
            </li>
          ))}
        </ul>
      </nav>

      <section className="stack" aria-labelledby="notice-controller">
        <Heading level={2} data-size="md" id="notice-controller">
          {t('notice.controller')}
        </Heading>
        <Paragraph>
          {t('notice.controllerText', { org: notice.org_name, title: notice.controller.title })}{' '}
          <Contact contact={notice.controller} />.
        </Paragraph>
        {notice.dpo ? (
          <Paragraph>
            {t('notice.dpoText')} <Contact contact={notice.dpo} />.
          </Paragraph>
        ) : (
          notice.no_dpo && <Paragraph>{notice.no_dpo}</Paragraph>
        )}
      </section>

      <section className="stack" aria-labelledby="notice-activities">
        <Heading level={2} data-size="md" id="notice-activities">
          {t('notice.activities')}
        </Heading>
        {notice.activities.map((activity) => (
          <section key={activity.id} className="notice__activity" aria-labelledby={`activity-${activity.id}`}>
            <Heading level={3} data-size="sm" id={`activity-${activity.id}`}>
              {activity.name}
            </Heading>
            <dl className="notice__facts">
              <dt>{t('notice.purpose')}</dt>
              <dd>{activity.purpose}</dd>
              <dt>{t('notice.legalBasis')}</dt>
              {activity.legal_basis.map((basis) => (
                <dd key={basis.code}>
                  {upfirst(basis.text)} ({basis.reference})
                </dd>
              ))}
              <dd>{activity.legal_basis_note}</dd>
              <dt>{t('notice.categories')}</dt>
              <dd>
                {activity.data_categories.length > 0
                  ? upfirst(activity.data_categories.map((c) => c.label).join(', '))
                  : t('notice.anonymousOnly')}
              </dd>
              <dt>{t('notice.subjects')}</dt>
              <dd>{upfirst(activity.data_subjects.map((s) => s.label).join(', '))}</dd>
              <dt>{t('notice.source')}</dt>
              <dd>{activity.source}</dd>
              <dt>{t('notice.recipients')}</dt>
              {activity.recipients.length > 0 ? (
                activity.recipients.map((recipient) => (
                  <dd key={recipient.name}>
                    {recipient.name} ({recipient.role.label}
                    {recipient.location ? `, ${t('notice.storesIn', { location: recipient.location })}` : ''}):{' '}
                    {recipient.task}
                  </dd>
                ))
              ) : (
                <dd>{t('notice.notShared')}</dd>
              )}
              <dt>{t('notice.storedIn')}</dt>
              <dd>{upfirst(activity.stored_in.join(', '))}</dd>
              <dt>{t('notice.howLong')}</dt>
              <dd>{upfirst(activity.retention)}.</dd>
            </dl>
          </section>
        ))}
      </section>

      <section className="stack" aria-labelledby="notice-retention">
        <Heading level={2} data-size="md" id="notice-retention">
          {t('notice.retention')}
        </Heading>
        <div className="table-scroll" role="region" aria-labelledby="notice-retention-caption" tabIndex={0}>
          <Table>
            <caption id="notice-retention-caption">{t('notice.retentionCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('notice.what')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('notice.howLong')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('notice.enforcement')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {notice.retention.map((rule) => (
                <Table.Row key={rule.id}>
                  <Table.HeaderCell scope="row">{rule.what}</Table.HeaderCell>
                  <Table.Cell>{upfirst(rule.retention)}.</Table.Cell>
                  <Table.Cell>{rule.enforcement.join(' ')}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      </section>

      {notice.newsletters.length > 0 && (
        <section className="stack" aria-labelledby="notice-newsletters">
          <Heading level={2} data-size="md" id="notice-newsletters">
            {t('notice.newsletters')}
          </Heading>
          <ul>
            {notice.newsletters.map((newsletter) => (
              <li key={newsletter.id}>
                {newsletter.name}
                {newsletter.frequency ? `, ${newsletter.frequency}` : ''}.{' '}
                {t('notice.sentWith', { provider: newsletter.provider })}
              </li>
            ))}
          </ul>
          <Paragraph>
            <RouteLink to={{ name: 'newsletter' }}>{t('notice.subscribe')}</RouteLink>{' '}
            {t('notice.unsubscribeAnyTime')}
          </Paragraph>
        </section>
      )}

      <section className="stack" aria-labelledby="notice-rights">
        <Heading level={2} data-size="md" id="notice-rights">
          {t('notice.rights')}
        </Heading>
        <ul>
          {notice.rights.map((right) => (
            <li key={right.code}>
              <strong>{right.title}.</strong> {right.text} ({right.reference})
            </li>
          ))}
        </ul>
        <Heading level={3} data-size="sm">
          {t('notice.useRights')}
        </Heading>
        <Paragraph>
          {t('notice.selfServiceBefore')} <RouteLink to={{ name: 'myData' }}>{t('nav.myData')}</RouteLink>
          {t('notice.selfServiceAfter', { title: notice.controller.title })} <Contact contact={notice.controller} />.
        </Paragraph>
        <Paragraph>{notice.erasure}</Paragraph>
        <Paragraph>
          {notice.deadlines.answer} {notice.deadlines.extension}
        </Paragraph>
        {notice.children && <Paragraph>{notice.children}</Paragraph>}
        {notice.anonymity && <Paragraph>{notice.anonymity}</Paragraph>}
      </section>

      <section className="stack" aria-labelledby="notice-breaches">
        <Heading level={2} data-size="md" id="notice-breaches">
          {t('notice.breaches')}
        </Heading>
        <Paragraph>
          {notice.deadlines.breach_authority} {notice.deadlines.breach_subjects}
        </Paragraph>
      </section>

      <section className="stack" aria-labelledby="notice-contact">
        <Heading level={2} data-size="md" id="notice-contact">
          {t('notice.contact')}
        </Heading>
        <address className="notice__address">
          {notice.org_name}
          <br />
          {notice.address.street}
          <br />
          {notice.address.postal_code} {notice.address.city}
          {notice.address.note ? ` (${notice.address.note})` : ''}
          <br />
          {t('notice.email')}: <Link href={`mailto:${notice.controller.email}`}>{notice.controller.email}</Link>
          {notice.controller.phone && (
            <>
              <br />
              {t('notice.phone')}:{' '}
              <Link href={`tel:${notice.controller.phone.replace(/\s/g, '')}`}>{notice.controller.phone}</Link>
            </>
          )}
          <br />
          {t('notice.website')}: <Link href={notice.website}>{notice.website}</Link>
        </address>
      </section>
    </article>
  );
}

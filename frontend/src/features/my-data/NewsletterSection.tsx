// Newsletters for a signed-in client. Consent has no self-service API for a BankID login yet, so
// this offers the public double opt-in and unsubscribe pages, and the access package above shows
// what consent holds.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import { RouteLink } from '../../routing/RouteLink';

export function NewsletterSection() {
  const { t } = useTranslation();
  return (
    <section className="stack" aria-labelledby="my-newsletters-heading">
      <Heading level={2} data-size="md" id="my-newsletters-heading">
        {t('myData.newsletterHeading')}
      </Heading>
      <Paragraph>{t('myData.newsletterIntro')}</Paragraph>
      <ul>
        <li>
          <RouteLink to={{ name: 'newsletter' }}>{t('myData.newsletterSubscribe')}</RouteLink>
        </li>
        <li>
          <RouteLink to={{ name: 'unsubscribe' }}>{t('myData.newsletterUnsubscribe')}</RouteLink>
        </li>
      </ul>
    </section>
  );
}

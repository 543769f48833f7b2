// "Meld deg på nyhetsbrev": the centre's newsletters (from its privacy notice) and an address.
// Double opt-in: nothing is sent to the list until the person confirms from the e-mail.
import { Alert, Button, Fieldset, Heading, Paragraph, Radio, Spinner, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { email as emailRule } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { RouteLink } from '../../routing/RouteLink';
import { usePrivacyNotice } from '../privacy-notice/queries';
import { useSubscribe } from './queries';

const fields = ['email', 'list_id'] as const;

export function SignUpPage() {
  const { t } = useTranslation();
  const notice = usePrivacyNotice();
  const subscribe = useSubscribe();
  const form = useValidatedForm(fields, { email: emailRule }, fields);
  const [sent, setSent] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setSent(false);
    if (!form.validateAll(element)) return;
    const data = new FormData(element);
    subscribe.mutate(
      { email: text(data, 'email') ?? '', list_id: text(data, 'list_id') ?? '' },
      {
        onSuccess: () => {
          element.reset();
          form.reset();
          setSent(true);
        },
        onError: (error) => form.showApiError(element, error),
      },
    );
  }

  const tooMany = subscribe.error instanceof ApiError && subscribe.error.status === 429;
  const lists = notice.data?.newsletters ?? [];

  return (
    <section className="stack narrow" aria-labelledby="newsletter-heading">
      <Heading level={1} data-size="lg" id="newsletter-heading">
        {t('newsletter.heading')}
      </Heading>
      <Paragraph>{t('newsletter.intro')}</Paragraph>
      {notice.isPending && <Spinner aria-label={t('app.loading')} />}
      {notice.isError && (
        <Alert data-color="danger" role="alert">
          {t('newsletter.listsFailed')}
        </Alert>
      )}
      {notice.isSuccess && lists.length === 0 && <Paragraph>{t('newsletter.none')}</Paragraph>}
      {lists.length > 0 && (
        <form className="register-form" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="newsletter-heading">
          <Fieldset>
            <Fieldset.Legend>{t('newsletter.which')}</Fieldset.Legend>
            {lists.map((list, index) => (
              <Radio
                key={list.id}
                name="list_id"
                value={list.id}
                defaultChecked={index === 0}
                label={list.name}
                description={list.frequency ?? undefined}
              />
            ))}
          </Fieldset>
          <Textfield
            label={t('newsletter.email')}
            name="email"
            type="email"
            autoComplete="email"
            error={form.errors.email}
          />
          <Paragraph data-size="sm">
            {t('newsletter.privacyBefore')} <RouteLink to={{ name: 'privacyNotice' }}>{t('nav.privacyNotice')}</RouteLink>.
          </Paragraph>
          {tooMany ? (
            <Alert data-color="warning" role="alert">
              {t('newsletter.tooMany')}
            </Alert>
          ) : (
            <FormAlert messages={form.general} />
          )}
          <div>
            <Button type="submit" disabled={subscribe.isPending}>
              {subscribe.isPending ? t('newsletter.sending') : t('newsletter.submit')}
            </Button>
          </div>
        </form>
      )}
      <div role="status">
        {sent && (
          <Alert data-color="success">
            <Heading level={2} data-size="xs">
              {t('newsletter.sentHeading')}
            </Heading>
            <Paragraph>{t('newsletter.sentText')}</Paragraph>
          </Alert>
        )}
      </div>
      <Paragraph data-size="sm">
        {t('newsletter.leave')} <RouteLink to={{ name: 'unsubscribe' }}>{t('newsletter.leaveLink')}</RouteLink>
      </Paragraph>
    </section>
  );
}

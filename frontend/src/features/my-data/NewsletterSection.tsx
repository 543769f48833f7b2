// Newsletters for a signed-in client. With an e-mail proof (the address confirmed with dsar's
// mailed code), the centre's lists with a switch each: on gives consent to the text shown, off
// withdraws it at once (consent's /consent/me API). Without one, the public double opt-in and
// unsubscribe pages, and a word that confirming the address shows the subscriptions here.
import { Alert, Details, Heading, Paragraph, Spinner, Switch } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import type { MySubscription } from '../../api/types';
import { RouteLink } from '../../routing/RouteLink';
import { useEmailProof } from './emailProof';
import { formatDate } from './formatting';
import { useMySubscriptions, useSetMySubscription } from './queries';

export function NewsletterSection({ emailProof }: { emailProof?: string | null }) {
  const { t } = useTranslation();
  const held = useEmailProof();
  const proof = emailProof === undefined ? held.proof : emailProof;
  return (
    <section className="stack" aria-labelledby="my-newsletters-heading">
      <Heading level={2} data-size="md" id="my-newsletters-heading">
        {t('myData.newsletterHeading')}
      </Heading>
      {proof ? <MyNewsletters proof={proof} email={held.email} /> : <PublicPages />}
    </section>
  );
}

function PublicPages() {
  const { t } = useTranslation();
  return (
    <>
      <Paragraph>{t('myData.newsletterConfirmFirst')}</Paragraph>
      <Paragraph>{t('myData.newsletterIntro')}</Paragraph>
      <ul>
        <li>
          <RouteLink to={{ name: 'newsletter' }}>{t('myData.newsletterSubscribe')}</RouteLink>
        </li>
        <li>
          <RouteLink to={{ name: 'unsubscribe' }}>{t('myData.newsletterUnsubscribe')}</RouteLink>
        </li>
      </ul>
    </>
  );
}

function MyNewsletters({ proof, email }: { proof: string; email: string | null }) {
  const { t } = useTranslation();
  const lists = useMySubscriptions(proof);
  const change = useSetMySubscription(proof);

  if (lists.isPending) return <Spinner aria-label={t('myData.newsletterLoading')} />;
  if (lists.isError) {
    const expired = lists.error instanceof ApiError && lists.error.status === 403;
    return (
      <Alert data-color={expired ? 'warning' : 'danger'} role="alert">
        {t(expired ? 'myData.newsletterProofExpired' : 'myData.newsletterLoadFailed')}
      </Alert>
    );
  }
  if (lists.data.length === 0) return <Paragraph>{t('myData.newsletterNone')}</Paragraph>;

  const changed = lists.data.find((item) => item.list_id === change.variables?.listId);
  return (
    <>
      <Paragraph>{email ? t('myData.newsletterMine', { email }) : t('myData.newsletterMineNoEmail')}</Paragraph>
      <ul className="stack newsletter-switches" aria-label={t('myData.newsletterListsLabel')}>
        {lists.data.map((item) => (
          <li key={item.list_id}>
            <NewsletterSwitch
              item={item}
              busy={change.isPending && change.variables.listId === item.list_id}
              onChange={(subscribed) => change.mutate({ listId: item.list_id, subscribed })}
            />
          </li>
        ))}
      </ul>
      {change.isError && changed && (
        <Alert data-color="danger" role="alert">
          {t('myData.newsletterSaveFailed', { name: changed.name_nb })}
        </Alert>
      )}
      <div role="status">
        {change.isSuccess && changed && (
          <Paragraph>
            {t(changed.state === 'subscribed' ? 'myData.newsletterSubscribedNow' : 'myData.newsletterUnsubscribedNow', {
              name: changed.name_nb,
            })}
          </Paragraph>
        )}
      </div>
    </>
  );
}

function NewsletterSwitch({
  item,
  busy,
  onChange,
}: {
  item: MySubscription;
  busy: boolean;
  onChange: (subscribed: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const subscribed = item.state === 'subscribed';
  // What the client just asked for, set in the click itself: the mutation's pending state and the
  // optimistic list reach React a tick later, and a controlled switch would snap back meanwhile.
  // Once the switch is idle again, or the list's state moves, the list speaks for itself.
  const [wanted, setWanted] = useState<boolean | null>(null);
  const [seen, setSeen] = useState({ busy, state: item.state });
  if (seen.busy !== busy || seen.state !== item.state) {
    setSeen({ busy, state: item.state });
    if (!busy) setWanted(null);
  }
  const date = formatDate(item.since, i18n.language);
  const state = {
    subscribed: t('myData.newsletterStateSubscribed', { date }),
    pending: t('myData.newsletterStatePending', { date }),
    withdrawn: t('myData.newsletterStateWithdrawn', { date }),
    never: t('myData.newsletterStateNever'),
  }[item.state];
  const shown = subscribed && item.consented_text ? item.consented_text : item.legal_text;
  return (
    <div className="stack">
      <Switch
        label={item.frequency_nb ? `${item.name_nb} (${item.frequency_nb})` : item.name_nb}
        description={state}
        checked={wanted ?? subscribed}
        aria-busy={busy}
        readOnly={busy}
        onChange={(event) => {
          if (busy) return;
          setWanted(event.target.checked);
          onChange(event.target.checked);
        }}
      />
      <Details>
        <Details.Summary>{t(subscribed && item.consented_text ? 'myData.newsletterTextGiven' : 'myData.newsletterTextToGive')}</Details.Summary>
        <Details.Content>
          <Paragraph>{shown}</Paragraph>
        </Details.Content>
      </Details>
    </div>
  );
}

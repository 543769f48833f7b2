// "Nyhetsbrev": the centre's lists with how many have confirmed and how many are waiting, and
// looking up one client's consent history by their id in the register.
import {
  Button,
  Heading,
  Paragraph,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Textfield,
} from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { navigate } from '../../routing/navigation';
import { LoadState } from '../../ui/LoadState';
import { useNewsletterLists } from './queries';

const PERSON_ID = /^[0-9a-fA-F-]{36}$/;

export function NewslettersPage() {
  const { t } = useTranslation();
  const lists = useNewsletterLists();
  const [lookupError, setLookupError] = useState<string | undefined>();

  function onLookup(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const id = text(new FormData(event.currentTarget), 'person_id') ?? '';
    if (!PERSON_ID.test(id)) {
      setLookupError(t('newsletters.personIdInvalid'));
      return;
    }
    setLookupError(undefined);
    navigate({ name: 'consentHistory', id });
  }

  return (
    <div className="workspace">
      <section className="stack" aria-labelledby="newsletters-heading">
        <Heading level={1} data-size="lg" id="newsletters-heading">
          {t('newsletters.heading')}
        </Heading>
        <LoadState isPending={lists.isPending} error={lists.error} failed={t('newsletters.loadFailed')} />
        {lists.isSuccess &&
          (lists.data.length === 0 ? (
            <Paragraph>{t('newsletters.empty')}</Paragraph>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t('newsletters.caption')}>
              <Table zebra>
                <caption className="ds-sr-only">{t('newsletters.caption')}</caption>
                <TableHead>
                  <TableRow>
                    <TableHeaderCell>{t('newsletters.name')}</TableHeaderCell>
                    <TableHeaderCell>{t('newsletters.frequency')}</TableHeaderCell>
                    <TableHeaderCell>{t('newsletters.provider')}</TableHeaderCell>
                    <TableHeaderCell>{t('newsletters.confirmed')}</TableHeaderCell>
                    <TableHeaderCell>{t('newsletters.pending')}</TableHeaderCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {lists.data.map((list) => (
                    <TableRow key={list.id}>
                      <TableCell>{list.name_nb}</TableCell>
                      <TableCell>{list.frequency_nb ?? '–'}</TableCell>
                      <TableCell>{list.provider}</TableCell>
                      <TableCell>{list.confirmed}</TableCell>
                      <TableCell>{list.pending}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          ))}
      </section>
      <section className="stack" aria-labelledby="consent-lookup-heading">
        <Heading level={2} data-size="md" id="consent-lookup-heading">
          {t('newsletters.lookupHeading')}
        </Heading>
        <Paragraph data-size="sm">{t('newsletters.lookupHelp')}</Paragraph>
        <form className="register-form" noValidate onSubmit={onLookup} aria-labelledby="consent-lookup-heading">
          <Textfield label={t('newsletters.personId')} name="person_id" autoComplete="off" error={lookupError} />
          <div>
            <Button type="submit" variant="secondary">
              {t('newsletters.lookup')}
            </Button>
          </div>
        </form>
      </section>
    </div>
  );
}

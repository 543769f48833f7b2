// "Søk etter navn": finds the clients the reader may see by a part of their name.
import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { text } from '../../forms/ChoiceField';
import { FormAlert } from '../../forms/FormAlert';
import { searchName } from '../../forms/rules';
import { useValidatedForm } from '../../forms/useValidatedForm';
import { ClientTable } from './ClientTable';
import { useSearchPersons } from './queries';

const fields = ['name'] as const;

export function ClientSearch() {
  const { t } = useTranslation();
  const search = useSearchPersons();
  const form = useValidatedForm(fields, { name: searchName }, fields);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    if (!form.validateAll(element)) return;
    search.mutate(text(new FormData(element), 'name') ?? '', {
      onError: (error) => form.showApiError(element, error),
    });
  }

  return (
    <section className="stack search" aria-labelledby="search-heading">
      <Heading level={2} data-size="sm" id="search-heading">
        {t('search.heading')}
      </Heading>
      <form className="search-form" role="search" noValidate onSubmit={onSubmit} onChange={form.onChange} aria-labelledby="search-heading">
        <Textfield label={t('search.name')} name="name" autoComplete="off" error={form.errors.name} />
        <div>
          <Button type="submit" variant="secondary" disabled={search.isPending}>
            {t('search.submit')}
          </Button>
        </div>
      </form>
      <FormAlert messages={form.general} />
      <div role="status">
        {search.isSuccess &&
          (search.data.items.length === 0 ? (
            <Paragraph>{t('search.none')}</Paragraph>
          ) : (
            <Paragraph>{t('search.found', { count: search.data.items.length })}</Paragraph>
          ))}
      </div>
      {search.isSuccess && search.data.items.length > 0 && (
        <ClientTable persons={search.data.items} caption={t('search.caption')} />
      )}
      {search.isSuccess && !search.data.complete && <Alert data-color="info">{t('search.incomplete')}</Alert>}
    </section>
  );
}

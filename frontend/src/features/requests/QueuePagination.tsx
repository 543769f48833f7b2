// The queue's pages: "Forrige", the page numbers (the current one marked for screen readers) and
// "Neste", as Designsystemet's pagination; buttons, so the keyboard reaches each of them.
import { Pagination, PaginationButton, PaginationItem, PaginationList, usePagination } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

export function QueuePagination({
  page,
  totalPages,
  onPage,
}: {
  page: number;
  totalPages: number;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation();
  const { pages, prevButtonProps, nextButtonProps } = usePagination({
    currentPage: page,
    totalPages,
    showPages: 7,
    setCurrentPage: onPage,
  });
  return (
    <Pagination aria-label={t('requests.pages')}>
      <PaginationList>
        <PaginationItem>
          <PaginationButton {...prevButtonProps} aria-label={t('requests.previousPage')}>
            {t('requests.previous')}
          </PaginationButton>
        </PaginationItem>
        {pages.map(({ page: number, itemKey, buttonProps }) => (
          <PaginationItem key={itemKey}>
            {typeof number === 'number' && (
              <PaginationButton {...buttonProps} aria-label={t('requests.page', { page: number })}>
                {number}
              </PaginationButton>
            )}
          </PaginationItem>
        ))}
        <PaginationItem>
          <PaginationButton {...nextButtonProps} aria-label={t('requests.nextPage')}>
            {t('requests.next')}
          </PaginationButton>
        </PaginationItem>
      </PaginationList>
    </Pagination>
  );
}

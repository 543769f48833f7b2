// A request's status in words, coloured by whether it is done, under way or stopped.
import { Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';

import type { RequestStatus } from '../../api/types';

const colour: Record<RequestStatus, 'success' | 'info' | 'danger' | 'neutral'> = {
  received: 'info',
  identity_verified: 'info',
  in_progress: 'info',
  awaiting_approval: 'info',
  approved: 'info',
  completed: 'success',
  failed: 'danger',
  rejected: 'danger',
  withdrawn: 'neutral',
};

export function StatusTag({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return (
    <Tag data-color={colour[status]} data-size="sm">
      {t(`requestStatus.${status}`)}
    </Tag>
  );
}

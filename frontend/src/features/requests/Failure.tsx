// A failure said in the user's words, with the service's own text (English, for whoever runs the
// services) below it as its technical detail.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Failure({ children, technical }: { children: ReactNode; technical: string | null | undefined }) {
  const { t } = useTranslation();
  return (
    <span className="call-failure">
      <span>{children}</span>
      {technical && (
        <span className="technical-detail">
          {t('requestTasks.technicalDetail')} <code lang="en">{technical}</code>
        </span>
      )}
    </span>
  );
}

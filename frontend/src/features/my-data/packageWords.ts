// The words the access package is shown in: dsar's bokmål labels (the same as the readable page's)
// while the app speaks Norwegian, the code made readable otherwise, and the code itself when dsar
// has no word for it, so nothing held is ever hidden.
import { useTranslation } from 'react-i18next';

import { fieldName } from './formatting';
import { usePackageLabels } from './queries';

export interface PackageWords {
  category: (code: string) => string;
  field: (code: string) => string;
  value: (field: string, value: string) => string;
  action: (code: string) => string;
  actor: (kind: string) => string;
}

export function usePackageWords(): PackageWords {
  const { i18n } = useTranslation();
  const labels = usePackageLabels();
  const nb = i18n.language !== 'en' ? labels.data : undefined;
  return {
    category: (code) => nb?.categories[code] ?? fieldName(code),
    field: (code) => nb?.fields[code] ?? fieldName(code),
    value: (field, value) => nb?.values[field]?.[value] ?? value,
    action: (code) => nb?.actions[code] ?? code,
    actor: (kind) => nb?.actor_kinds[kind] ?? kind,
  };
}

// The dsar API's refusals of a task action (409, 422 ...) in the user's language: the API speaks
// English, so known conflicts are recognised by their text and the rest said in general terms.
import type { TFunction } from 'i18next';

import { ApiError, fieldErrors } from '../../api/problem';

const CONFLICTS: [RegExp, 'taskProblem.alreadyDone' | 'taskProblem.notManual' | 'taskProblem.wrongStatus'][] = [
  [/already done/i, 'taskProblem.alreadyDone'],
  [/only a manual task/i, 'taskProblem.notManual'],
  [/cannot move from|is approved once|only once approved/i, 'taskProblem.wrongStatus'],
];

/** What went wrong, as sentences to show; `field` messages name the fields of the note form. */
export function taskProblem(error: Error, t: TFunction): { general: string[]; note?: string; kept?: string } {
  if (!(error instanceof ApiError)) return { general: [t('form.failed')] };
  switch (error.status) {
    case 401:
      return { general: [t('form.sessionExpired')] };
    case 403:
      return { general: [t('form.forbidden')] };
    case 404:
      return { general: [t('taskProblem.notFound')] };
    case 409: {
      const detail = error.problem.detail ?? '';
      const known = CONFLICTS.find(([pattern]) => pattern.test(detail));
      return { general: [t(known ? known[1] : 'taskProblem.conflict'), t('taskProblem.reloaded')] };
    }
    case 422: {
      const fields = fieldErrors(error.problem);
      const note = fields.has('note') ? t('taskProblem.note') : undefined;
      const keptFields = ['kept', 'category', 'reason', 'law'];
      const kept = keptFields.some((name) => fields.has(name)) ? t('taskProblem.kept') : undefined;
      const general = [t('form.checkFields')];
      if (!note && !kept) general.push(t('taskProblem.invalid'));
      return { general, ...(note ? { note } : {}), ...(kept ? { kept } : {}) };
    }
    default:
      return { general: [t('form.failed')] };
  }
}

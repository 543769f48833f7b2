// The dsar API's refusals of a request or task action (403, 409, 422 ...) in the user's language.
// A known refusal is recognised by its problem type (RFC 9457 `type`, listed in dsar's OpenAPI
// answers), never by the English `detail`; any other is said in general terms.
import type { TFunction } from 'i18next';

import { ApiError, fieldErrors } from '../../api/problem';

type ProblemKey =
  | 'taskProblem.alreadyDone'
  | 'taskProblem.notManual'
  | 'taskProblem.wrongStatus'
  | 'taskProblem.tasksOpen'
  | 'taskProblem.approvalOnlyErasure'
  | 'taskProblem.approvalRequired'
  | 'transition.fourEyesRefused'
  | 'extension.closed'
  | 'extension.alreadyExtended';

const PROBLEM_TYPES: Record<string, ProblemKey> = {
  'urn:vern:problem:task-already-done': 'taskProblem.alreadyDone',
  'urn:vern:problem:task-not-manual': 'taskProblem.notManual',
  'urn:vern:problem:transition-not-allowed': 'taskProblem.wrongStatus',
  'urn:vern:problem:approval-not-awaited': 'taskProblem.wrongStatus',
  'urn:vern:problem:tasks-open': 'taskProblem.tasksOpen',
  'urn:vern:problem:approval-only-erasure': 'taskProblem.approvalOnlyErasure',
  'urn:vern:problem:approval-required': 'taskProblem.approvalRequired',
  'urn:vern:problem:four-eyes': 'transition.fourEyesRefused',
  'urn:vern:problem:request-closed': 'extension.closed',
  'urn:vern:problem:already-extended': 'extension.alreadyExtended',
};

/** The sentence for a refusal dsar names by its problem type, if it is one the SPA knows. */
export function knownProblem(error: Error, t: TFunction): string | undefined {
  if (!(error instanceof ApiError) || !error.problem.type) return undefined;
  const key = PROBLEM_TYPES[error.problem.type];
  return key ? t(key) : undefined;
}

/** A 409's sentences: what changed (or that something did), and that the page shows it now. */
export function conflictProblem(error: Error, t: TFunction): string[] {
  return [knownProblem(error, t) ?? t('taskProblem.conflict'), t('taskProblem.reloaded')];
}

/** What went wrong, as sentences to show; `field` messages name the fields of the note form. */
export function taskProblem(error: Error, t: TFunction): { general: string[]; note?: string; kept?: string } {
  if (!(error instanceof ApiError)) return { general: [t('form.failed')] };
  switch (error.status) {
    case 401:
      return { general: [t('form.sessionExpired')] };
    case 403:
      return { general: [knownProblem(error, t) ?? t('form.forbidden')] };
    case 404:
      return { general: [t('taskProblem.notFound')] };
    case 409:
      return { general: conflictProblem(error, t) };
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

// A 409 on one of a request's actions: the request is not where the page showed it (moved on,
// closed, extended, a task done by a colleague). It is said, by its problem type where dsar names
// one, and the request is fetched again, which may take the form away.
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import { conflictProblem } from './problems';
import { useRefreshRequest } from './queries';

/** For an action's error: a 409's sentences (the request is fetched again), else undefined. */
export function useRequestConflict(id: string): (error: Error) => string[] | undefined {
  const { t } = useTranslation();
  const refresh = useRefreshRequest(id);
  return (error) => {
    if (!(error instanceof ApiError) || error.status !== 409) return undefined;
    void refresh();
    return conflictProblem(error, t);
  };
}

// The public newsletter calls to consent: sign-up (double opt-in), one-click unsubscribe with the
// mailed link's token, and a new unsubscribe link by e-mail. None of them needs a login.
import { useMutation } from '@tanstack/react-query';

import { ApiError, unwrap } from '../../api/problem';
import { publicConsent } from '../../api/public';

// Consent's unsubscribe endpoints take HTML forms (RFC 8058 one-click is a form POST).
const asForm = (body: Record<string, string | undefined> | undefined) =>
  new URLSearchParams(Object.entries(body ?? {}).filter((e): e is [string, string] => e[1] !== undefined)).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** Asks consent to e-mail a confirmation link; the answer is the same whatever the address. */
export function useSubscribe() {
  return useMutation({
    mutationFn: async (body: { email: string; list_id: string }) =>
      unwrap(await publicConsent.POST('/consent/subscriptions', { body })),
  });
}

/** RFC 8058 one-click unsubscribe: the address leaves the list at once. */
export function useUnsubscribe() {
  return useMutation({
    mutationFn: async (token: string) => {
      const { response } = await publicConsent.POST('/consent/unsubscribe/{token}', {
        params: { path: { token } },
        body: { 'List-Unsubscribe': 'One-Click' },
        bodySerializer: asForm,
        headers: FORM,
        parseAs: 'text',
      });
      if (!response.ok) throw new ApiError(response.status, undefined);
    },
  });
}

/** Mails a new unsubscribe link to an address that has lost the newsletter with its link. */
export function useSendUnsubscribeLink() {
  return useMutation({
    mutationFn: async (email: string) => {
      const { response } = await publicConsent.POST('/consent/unsubscribe', {
        body: { email },
        bodySerializer: asForm,
        headers: FORM,
        parseAs: 'text',
      });
      if (!response.ok) throw new ApiError(response.status, undefined);
    },
  });
}

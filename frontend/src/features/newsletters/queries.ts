// Server state for newsletter lists and a client's consent history (consent's staff endpoints).
import { useQuery } from '@tanstack/react-query';

import { clients } from '../../api/client';
import { unwrap } from '../../api/problem';

export function useNewsletterLists() {
  return useQuery({
    queryKey: ['consent', 'lists'],
    queryFn: async ({ signal }) => unwrap(await clients.consent.GET('/consent/lists', { signal })),
  });
}

/** Every subscriber record of a registry client, each with its current consents and full history. */
export function useConsentHistory(personId: string) {
  return useQuery({
    queryKey: ['consent', 'subjects', personId],
    queryFn: async ({ signal }) => {
      const subscribers = unwrap(
        await clients.consent.GET('/consent/subjects', { params: { query: { subject_ref: personId } }, signal }),
      );
      return Promise.all(
        subscribers.map(async (subscriber) =>
          unwrap(
            await clients.consent.GET('/consent/subjects/{subscriber_id}/consents', {
              params: { path: { subscriber_id: subscriber.id } },
              signal,
            }),
          ),
        ),
      );
    },
  });
}

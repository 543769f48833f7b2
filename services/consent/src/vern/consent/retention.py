"""When consent's data must be deleted ("slettes"), by the org profile's rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from vern.kit.clock import oslo_date

# Both seeds: a newsletter address is deleted at once when the subscriber unsubscribes. An
# unsubscribe deletes it there and then (subscriptions.service.remove_address); the sweep catches
# any subscriber none of whose consents is in force any more, on the (Oslo) date of the last
# withdrawal. A subscriber who still receives another list keeps their address.
NEWSLETTER_ADDRESS_RULE = "newsletter_address"
# A subscription request nobody confirmed is deleted when its link expires (default 7 days,
# `CONSENT_CONFIRMATION_VALID_DAYS`), with the address unless something else holds it.
UNCONFIRMED_SUBSCRIPTION_RULE = "unconfirmed_subscription"
# Idempotency records (a keyed fingerprint of each request other services sent, and the ids it
# got back) are only needed while the sender may still retry: kept 30 days, then deleted.
IDEMPOTENCY_RULE = "idempotency_record"
IDEMPOTENCY_WINDOW = timedelta(days=30)


def subscriber_due_date(*, last_withdrawn_at: datetime) -> date:
    """The date a subscriber whose every consent is withdrawn is due for deletion: that same day."""
    return oslo_date(last_withdrawn_at)


def unconfirmed_due_date(*, expires_at: datetime) -> date:
    """The date an unconfirmed request is deleted: the (Oslo) day its link expires; the sweep
    that runs after the expiry instant deletes it."""
    return oslo_date(expires_at)

"""When consent's data must be deleted ("slettes"), by the org profile's rules."""

from __future__ import annotations

from datetime import date, datetime

from vern.kit.clock import oslo_date

# Both seeds: a newsletter address is deleted at once when the subscriber unsubscribes. A
# subscriber is due when none of their consents is in force any more, on the (Oslo) date of the
# last withdrawal; a subscriber who still receives another list keeps their address.
NEWSLETTER_ADDRESS_RULE = "newsletter_address"


def subscriber_due_date(*, last_withdrawn_at: datetime) -> date:
    """The date a subscriber whose every consent is withdrawn is due for deletion: that same day."""
    return oslo_date(last_withdrawn_at)

"""What Vern reads from a provider's webhook: the few events that delete an address.

Everything else a provider reports (deliveries, opens, clicks, soft blocks, profile changes) is
counted and dropped; nothing of a webhook body is stored or logged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from vern.consent.identifiers import normalise_email

SENDGRID = "sendgrid"
MAILCHIMP = "mailchimp"


class Action(StrEnum):
    """Why a provider tells Vern to let go of an address."""

    unsubscribed = "unsubscribed"
    bounced = "bounced"  # a hard bounce, or Mailchimp's "cleaned"
    dropped = "dropped"
    spam_report = "spam_report"
    address_changed = "address_changed"  # Mailchimp's upemail: the old address goes


class MalformedBody(ValueError):
    """The body is not the provider's format at all (the message names the part, not the value)."""


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """One event that deletes an address. `provider_list_id` is the provider's list (audience)
    when the event names one; None means every list."""

    event_id: str | None
    email: str  # normalised, never logged
    action: Action
    provider_list_id: str | None = None


@dataclass(slots=True)
class ParsedBatch:
    events: list[ProviderEvent]
    received: int
    ignored: int


# SendGrid's event webhook reference: `bounce` carries `type` "bounce" (the receiving server
# rejected the address for good) or "blocked" (a temporary or policy block, which does not mean
# the address is dead). Only the former deletes the address.
_SENDGRID_ACTIONS = {
    "unsubscribe": Action.unsubscribed,
    "group_unsubscribe": Action.unsubscribed,
    "bounce": Action.bounced,
    "dropped": Action.dropped,
    "spamreport": Action.spam_report,
}
_MAX_EVENT_ID = 255


def parse_sendgrid(body: bytes) -> ParsedBatch:
    """The address-deleting events of one SendGrid batch (a JSON array of event objects).

    An event whose address Vern could never have stored (not a valid address) is ignored: there
    is nothing to delete, and refusing the batch would hold back every other event in it."""
    try:
        items = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nested deeper than the parser goes (the kit refuses such bodies first).
        raise MalformedBody("body: is not JSON") from exc
    if not isinstance(items, list):
        raise MalformedBody("body: is not a JSON array of events")
    events: list[ProviderEvent] = []
    normalised: dict[str, str | None] = {}
    for item in items:
        event = _sendgrid_event(item, normalised)
        if event is not None:
            events.append(event)
    return ParsedBatch(events=events, received=len(items), ignored=len(items) - len(events))


def _sendgrid_event(item: Any, normalised: dict[str, str | None]) -> ProviderEvent | None:
    if not isinstance(item, dict):
        return None
    action = _SENDGRID_ACTIONS.get(item.get("event"))  # type: ignore[arg-type]
    if action is None or (action == Action.bounced and item.get("type") == "blocked"):
        return None
    email = _normalised(item.get("email"), normalised)
    if email is None:
        return None
    event_id = item.get("sg_event_id")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= _MAX_EVENT_ID:
        event_id = None  # cannot be deduplicated; deleting an address twice changes nothing
    return ProviderEvent(event_id=event_id, email=email, action=action)


# A plain ASCII address (dot-atom local part, LDH domain labels, no punycode label, which the
# validator turns into Unicode): for these the kit's normal form (email-validator's normalised
# address, lower-cased) is the address lower-cased, and skipping the validator makes a
# 10,000-event batch several times faster. Anything else takes the validator. The fast path also
# lets through special-use domains the validator refuses (`.invalid`, `.local`): Vern can never
# hold such an address, so at worst its keyed hash lands on the suppression list.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _normalised(value: object, cache: dict[str, str | None]) -> str | None:
    if not isinstance(value, str) or len(value) > 254:
        return None
    if value not in cache:
        local, _, domain = value.partition("@")
        if len(local) <= 64 and "xn--" not in domain.lower() and _PLAIN_ADDRESS.fullmatch(value):
            cache[value] = value.lower()
        else:
            try:
                cache[value] = normalise_email(value)
            except ValueError:
                cache[value] = None
    return cache[value]


_MAILCHIMP_ACTIONS = {
    "unsubscribe": Action.unsubscribed,
    "cleaned": Action.bounced,
    "upemail": Action.address_changed,
}


def parse_mailchimp(form: Mapping[str, str]) -> ParsedBatch:
    """The address-deleting event of one Mailchimp webhook call (form-encoded, one event).

    `unsubscribe` and `cleaned` delete `data[email]`; `upemail` deletes `data[old_email]` and
    keeps nothing of `data[new_email]`; `profile`, `subscribe` and `campaign` are ignored."""
    kind = form.get("type")
    if not kind:
        raise MalformedBody("type: is required")
    action = _MAILCHIMP_ACTIONS.get(kind)
    if action is None:
        return ParsedBatch(events=[], received=1, ignored=1)
    field = "data[old_email]" if action == Action.address_changed else "data[email]"
    raw = form.get(field)
    if not raw:
        raise MalformedBody(f"{field}: is required")
    email = _normalised(raw, {})
    if email is None:
        raise MalformedBody(f"{field}: is not a valid email address")
    list_id = form.get("data[list_id]") or None
    if action == Action.bounced or action == Action.address_changed:
        list_id = None  # a dead or abandoned address goes from every list
    return ParsedBatch(
        events=[ProviderEvent(event_id=None, email=email, action=action, provider_list_id=list_id)],
        received=1,
        ignored=0,
    )

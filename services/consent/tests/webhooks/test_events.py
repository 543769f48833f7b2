"""Which provider events delete an address, read without a database."""

from __future__ import annotations

import json

import pytest

from vern.consent.identifiers import normalise_email
from vern.consent.webhooks.events import Action, MalformedBody, parse_mailchimp, parse_sendgrid


def batch(*events: dict[str, object]) -> bytes:
    return json.dumps(list(events)).encode()


@pytest.mark.parametrize(
    ("event", "extra", "action"),
    [
        ("unsubscribe", {}, Action.unsubscribed),
        ("group_unsubscribe", {"asm_group_id": 42}, Action.unsubscribed),
        ("bounce", {"type": "bounce"}, Action.bounced),
        ("dropped", {"reason": "Bounced Address"}, Action.dropped),
        ("spamreport", {}, Action.spam_report),
    ],
)
def test_sendgrid_events_that_delete_an_address(
    event: str, extra: dict[str, object], action: Action
) -> None:
    parsed = parse_sendgrid(
        batch({"email": "Kari@Example.org", "event": event, "sg_event_id": "e1", **extra})
    )
    assert [(e.email, e.action, e.event_id) for e in parsed.events] == [
        ("kari@example.org", action, "e1")
    ]


@pytest.mark.parametrize(
    "item",
    [
        {"event": "bounce", "type": "blocked"},  # a soft block is not a dead address
        {"event": "delivered"},
        {"event": "open"},
        {"event": "click"},
        {"event": "deferred"},
        {"event": "processed"},
    ],
)
def test_sendgrid_events_that_change_nothing_are_ignored(item: dict[str, object]) -> None:
    parsed = parse_sendgrid(batch({"email": "kari@example.org", "sg_event_id": "e1", **item}))
    assert (parsed.events, parsed.received, parsed.ignored) == ([], 1, 1)


def test_a_sendgrid_event_without_a_valid_address_is_ignored_not_refused() -> None:
    parsed = parse_sendgrid(
        batch({"email": "not an address", "event": "unsubscribe"}, "junk", {"event": 5},
              {"email": "kari@example.org", "event": "unsubscribe"})
    )  # fmt: skip
    assert (len(parsed.events), parsed.received, parsed.ignored) == (1, 4, 3)


@pytest.mark.parametrize("body", [b"not json", b'{"event": "unsubscribe"}', b"\xff\xfe"])
def test_a_sendgrid_body_that_is_not_an_array_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedBody):
        parse_sendgrid(body)


def test_mailchimp_unsubscribe_names_its_audience() -> None:
    parsed = parse_mailchimp(
        {"type": "unsubscribe", "data[email]": "Kari@Example.org", "data[list_id]": "a1b2"}
    )
    assert [(e.email, e.action, e.provider_list_id) for e in parsed.events] == [
        ("kari@example.org", Action.unsubscribed, "a1b2")
    ]


def test_mailchimp_cleaned_deletes_from_every_list() -> None:
    parsed = parse_mailchimp(
        {"type": "cleaned", "data[email]": "kari@example.org", "data[list_id]": "a1b2"}
    )
    assert [(e.action, e.provider_list_id) for e in parsed.events] == [(Action.bounced, None)]


def test_mailchimp_upemail_deletes_the_old_address_and_keeps_nothing_of_the_new() -> None:
    parsed = parse_mailchimp(
        {"type": "upemail", "data[old_email]": "old@example.org",
         "data[new_email]": "new@example.org", "data[list_id]": "a1b2"}
    )  # fmt: skip
    assert [(e.email, e.action, e.provider_list_id) for e in parsed.events] == [
        ("old@example.org", Action.address_changed, None)
    ]


@pytest.mark.parametrize("kind", ["profile", "subscribe", "campaign"])
def test_other_mailchimp_types_are_ignored(kind: str) -> None:
    parsed = parse_mailchimp({"type": kind, "data[email]": "kari@example.org"})
    assert (parsed.events, parsed.ignored) == ([], 1)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({}, "type"),
        ({"type": "unsubscribe"}, "data[email]"),
        ({"type": "unsubscribe", "data[email]": "nope"}, "data[email]"),
        ({"type": "upemail", "data[new_email]": "new@example.org"}, "data[old_email]"),
    ],
)
def test_a_mailchimp_event_missing_its_address_names_the_field(
    form: dict[str, str], field: str
) -> None:
    with pytest.raises(MalformedBody, match=rf"^{field.replace('[', '.').replace(']', '.')}: "):
        parse_mailchimp(form)


@pytest.mark.parametrize(
    "address",
    [
        "Kari@Example.org",
        "a.b+c@sub.Domain.NO",
        "o'neil@example.com",
        "first.last@xn--bcher-kva.example",
        "ÆØÅ@example.no",
        "kari@bøler.no",
        "A@EXAMPLE.COM",
        "x@123.com",
        "a..b@example.org",
        "x@localhost",
        "kari@ex_ample.org",
        "a@-example.org",
    ],
)
def test_an_event_address_is_read_in_the_form_vern_indexes_it(address: str) -> None:
    try:
        expected: str | None = normalise_email(address)
    except ValueError:
        expected = None
    parsed = parse_sendgrid(batch({"email": address, "event": "unsubscribe"}))
    assert [e.email for e in parsed.events] == ([expected] if expected else [])

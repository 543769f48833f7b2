"""Fuzzing the SendGrid and Mailchimp parsers: any body is a batch or MalformedBody (never another
error), every event counts as received, an address-deleting event carries the address in the
kit's normal form, and the fast path for plain addresses agrees with the validator."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from vern.consent.identifiers import normalise_email
from vern.consent.webhooks.events import (
    Action,
    MalformedBody,
    ParsedBatch,
    _normalised,
    parse_mailchimp,
    parse_sendgrid,
)
from vern.kit.testing.fuzz import fuzz

SENDGRID_KINDS = ["unsubscribe", "group_unsubscribe", "bounce", "dropped", "spamreport",
                  "delivered", "open", "click", "deferred", "processed"]  # fmt: skip
MAILCHIMP_KINDS = ["unsubscribe", "cleaned", "upemail", "profile", "subscribe", "campaign"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
addresses = st.one_of(
    st.emails(),
    st.text(max_size=40),
    st.from_regex(r"[A-Za-z.]{1,8}@[a-z]{1,8}\.no", fullmatch=True),
)
sendgrid_events = st.fixed_dictionaries(
    {"event": st.sampled_from(SENDGRID_KINDS), "email": addresses},
    optional={
        "sg_event_id": st.one_of(st.text(max_size=300), st.integers()),
        "type": st.sampled_from(["bounce", "blocked", "other"]),
        "timestamp": st.integers(),
        "asm_group_id": st.integers(),
    },
)


def _parse_or_malformed(body: bytes) -> ParsedBatch | None:
    try:
        return parse_sendgrid(body)
    except MalformedBody:
        return None


@fuzz
@given(st.binary(max_size=2000))
@example(b"[" * 100_000 + b"]" * 100_000)
@example(b'[{"event": "unsubscribe", "email": "\\ud800@example.no"}]')
@example(b"\xef\xbb\xbf[]")
@example(b"1e999999")
@example(b"[" + b"9" * 5000 + b"]")
def test_any_sendgrid_body_is_a_batch_or_malformed(body: bytes) -> None:
    _parse_or_malformed(body)


@fuzz
@given(st.lists(st.one_of(sendgrid_events, json_values), max_size=8))
def test_every_sendgrid_event_counts_and_deletions_carry_the_normal_form(items: list[Any]) -> None:
    body = json.dumps(items).encode()
    batch = parse_sendgrid(body)
    assert batch.received == len(items)
    assert batch.ignored + len(batch.events) == batch.received
    for event in batch.events:
        assert event.email == event.email.lower()
        assert event.email.count("@") == 1
        assert event.event_id is None or 0 < len(event.event_id) <= 255
        assert event.action != Action.address_changed


@fuzz
@given(sendgrid_events)
def test_a_deleting_sendgrid_event_with_a_valid_address_is_read_back(event: dict[str, Any]) -> None:
    try:
        expected = normalise_email(event["email"]) if isinstance(event["email"], str) else None
    except ValueError:
        expected = None
    batch = parse_sendgrid(json.dumps([event]).encode())
    deletes = event["event"] in {
        "unsubscribe",
        "group_unsubscribe",
        "bounce",
        "dropped",
        "spamreport",
    }
    if event["event"] == "bounce" and event.get("type") == "blocked":
        deletes = False
    if deletes and expected is not None:
        assert [e.email for e in batch.events] == [expected]
    elif not deletes:
        assert batch.events == []


@fuzz
@given(st.dictionaries(st.sampled_from(["type", "data[email]", "data[old_email]", "data[new_email]",
                                        "data[list_id]", "fired_at"]) | st.text(max_size=12),
                       st.text(max_size=60) | st.sampled_from(MAILCHIMP_KINDS) | addresses,
                       max_size=6))  # fmt: skip
@example({"type": "upemail", "data[old_email]": "\ud800@example.no"})
@example({"type": "unsubscribe", "data[email]": "a@" + "b" * 300 + ".no"})
def test_any_mailchimp_form_is_a_batch_or_malformed(form: dict[str, str]) -> None:
    try:
        batch = parse_mailchimp(form)
    except MalformedBody as exc:
        refused = str(exc)
    else:
        refused = None
    if refused is not None:
        assert "@" not in refused  # names the field, never the address
        return
    assert batch.received == 1
    assert len(batch.events) + batch.ignored == 1


@fuzz
@given(st.sampled_from(["unsubscribe", "cleaned", "upemail"]), st.emails(), st.text(max_size=10))
def test_a_mailchimp_deletion_is_read_back_in_the_normal_form(
    kind: str, address: str, list_id: str
) -> None:
    try:
        expected = normalise_email(address)
    except ValueError:
        return
    field = "data[old_email]" if kind == "upemail" else "data[email]"
    batch = parse_mailchimp({"type": kind, field: address, "data[list_id]": list_id})
    (event,) = batch.events
    assert event.email == expected
    assert event.provider_list_id == (list_id or None if kind == "unsubscribe" else None)


@fuzz
@given(
    st.one_of(
        st.emails(),
        st.from_regex(r"[A-Za-z0-9.+_-]{1,20}@[A-Za-z0-9-]{1,20}\.[A-Za-z]{2,6}", fullmatch=True),
    )
)
def test_the_fast_path_agrees_with_the_validator_on_every_address_it_accepts(address: str) -> None:
    try:
        expected = normalise_email(address)
    except ValueError:
        return  # the fast path may keep what the validator refuses: nothing Vern holds matches
    assert _normalised(address, {}) == expected

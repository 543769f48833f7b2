"""A BankID client proves an e-mail address by the code dsar mails to the SMTP sink, and their
self-service access request then finds, through the internal subject contract, the registry's
client and the consent subscriber held under that address (Nok. Bergen keeps no national ids)."""

from __future__ import annotations

import email
import mailbox
import re
import time
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest

from vern.kit.devstack import DevStack
from vern.kit.devtoken import load_personas

from .test_slice import Token, url, wait_for

pytestmark = pytest.mark.integration

CLIENT1 = load_personas()["client1"]
PERSON = {
    "full_name": "Solveig Myrvang Tveit",
    "email": CLIENT1["email"],
    "phone": "+4748123401",
    "heard_about": "internet",
    "newsletter_opt_in": True,
}


def _body(message: Message) -> str:
    part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), message)
    payload = part.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else str(payload)


def mailed_code(inbox: Path, to: str, seen: set[str]) -> str:
    """Waits for a new mail to `to` with a 6-digit code; returns the code."""
    for _ in range(120):
        if inbox.exists():
            for key, raw in mailbox.Maildir(inbox, factory=None).items():
                message = email.message_from_bytes(raw.as_bytes())
                if key in seen or to not in str(message["To"]):
                    continue
                found = re.search(r"\b(\d{6})\b", _body(message))
                if found:
                    seen.add(key)
                    return found.group(1)
        time.sleep(0.25)
    raise AssertionError("no mail with a code arrived")


def _access(token: Token, body: dict[str, Any]) -> dict[str, Any]:
    created = httpx.post(
        url("dsar", "/requests"), json=body, headers=token("client1", "dsar"), timeout=30
    )
    assert created.status_code == 201, created.text
    request: dict[str, Any] = created.json()
    package = httpx.get(
        url("dsar", f"/requests/{request['id']}/package"), headers=token("client1", "dsar")
    )
    assert package.status_code == 200, package.text
    found: dict[str, Any] = package.json()
    return found


def test_a_proven_address_finds_the_registry_client_and_the_consent_subscriber(
    stack: DevStack, token: Token
) -> None:
    counsellor = load_personas()["counsellor"]["sub"]
    response = httpx.post(
        url("registry", "/persons"),
        json={**PERSON, "assigned_counsellor_id": counsellor},
        headers=token("coordinator", "registry"),
    )
    assert response.status_code == 201, response.text
    person = response.json()

    def subscriber() -> list[Any]:
        found = httpx.get(
            url("consent", "/subjects"),
            params={"subject_ref": person["id"]},
            headers=token("manager", "consent"),
        )
        assert found.status_code == 200, found.text
        subscribers: list[Any] = found.json()
        return subscribers

    [held] = wait_for(subscriber)

    # Without a proof, the national id of the login finds nothing: no store keeps it.
    unproven = _access(token, {"type": "access"})
    assert unproven["services"]["registry"]["subjects"] == []

    started = httpx.post(
        url("dsar", "/me/email-proofs"),
        json={"email": CLIENT1["email"]},
        headers=token("client1", "dsar"),
    )
    assert started.status_code == 202, started.text
    code = mailed_code(stack.var / "mail" / "inbox", CLIENT1["email"], set())
    confirmed = httpx.post(
        url("dsar", f"/me/email-proofs/{started.json()['id']}/confirm"),
        json={"code": code},
        headers=token("client1", "dsar"),
    )
    assert confirmed.status_code == 200, confirmed.text
    proof = confirmed.json()["proof"]

    package = _access(token, {"type": "access", "email_proof": proof})
    registry = package["services"]["registry"]["subjects"]
    consent = package["services"]["consent"]["subjects"]
    assert [s["subject_id"] for s in registry] == [person["id"]]
    assert held["id"] in [s["subject_id"] for s in consent]
    record = next(c for c in registry[0]["categories"] if c["category"] == "client_record")
    assert record["data"]["full_name"] == PERSON["full_name"]
    assert package["subject"]["email"] == CLIENT1["email"]

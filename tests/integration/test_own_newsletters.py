"""A client's own newsletters over real processes: client1's token for consent from the dev IdP,
an e-mail proof signed with the key the dev dsar signs with, and consent checking it against the
keys dsar publishes at /dsar/.well-known/jwks.json; staff and another login's proof are refused,
and no log line holds the address."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from joserfc import jwt

from vern.dsar.receipts.signing import DEV_RECEIPT_SIGNING_KEY, load_signing_key
from vern.kit.devstack import DevStack
from vern.kit.devtoken import load_personas

from .test_slice import Token, url

pytestmark = pytest.mark.integration
ADDRESS = "torhild.egenbrev@example.org"


def _proof(sub: str) -> str:
    """A proof as dsar issues it once a client has typed the mailed code."""
    key = load_signing_key(DEV_RECEIPT_SIGNING_KEY)
    now = int(time.time())
    claims = {
        "iss": "urn:vern:dsar",
        "aud": ["urn:vern:dsar", "urn:vern:consent"],
        "sub": sub,
        "email": ADDRESS,
        "iat": now,
        "exp": now + 1800,
        "jti": uuid.uuid4().hex,
    }
    header = {"alg": "ES256", "kid": key.kid, "typ": "vern-email-proof+jwt"}
    return jwt.encode(header, claims, key, algorithms=["ES256"])


def test_a_bankid_client_gives_and_withdraws_newsletter_consent_with_dsars_proof(
    stack: DevStack, token: Token
) -> None:
    personas = load_personas()
    mine = {"Vern-Email-Proof": _proof(personas["client1"]["sub"])}
    client1 = token("client1", "consent")
    path = url("consent", "/me/subscriptions")

    before = httpx.get(path, headers={**client1, **mine})
    assert before.status_code == 200, before.text
    assert {item["list_id"]: item["state"] for item in before.json()} == {
        "general": "never",
        "partners": "never",
    }
    given = httpx.post(f"{path}/general", headers={**client1, **mine})
    assert given.status_code == 200, given.text
    assert given.json()["state"] == "subscribed"

    staff = httpx.get(path, headers={**token("manager", "consent"), **mine})
    assert staff.status_code == 403
    theirs = {"Vern-Email-Proof": _proof(personas["client2"]["sub"])}
    assert httpx.get(path, headers={**client1, **theirs}).status_code == 403

    withdrawn = httpx.delete(f"{path}/general", headers={**client1, **mine})
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["state"] == "never"

    logs = "".join(p.read_text(errors="replace") for p in (stack.var / "logs").glob("*.log"))
    assert logs, "the services wrote no logs"
    assert ADDRESS not in logs
    assert mine["Vern-Email-Proof"] not in logs

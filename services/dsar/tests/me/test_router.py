"""E-mail proofs over HTTP: a BankID client proves an address by a code mailed to it; the signed
proof lets a self-service request reach what the stores hold under that address."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import text
from sqlmodel import Session

from vern.dsar.me import service as proof_service
from vern.kit.testing.tokens import Tokens

from ..conftest import OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers
from ..smtp import Inbox
from .conftest import PROOFS, code_in, confirm, prove, start

pytestmark = pytest.mark.anyio

EMAIL = SOLVEIG["email"]
NATIONAL_ID = SOLVEIG["national_id"]
SUB = "bankid-sub-1"
OTHER_SUB = "bankid-sub-2"


def own(auth: Tokens) -> dict[str, str]:
    return auth.client(NATIONAL_ID, sub=SUB)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


class MovedClock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> MovedClock:
    clock = MovedClock()
    monkeypatch.setattr(proof_service, "now", clock.now)
    return clock


async def test_a_six_digit_code_is_mailed_in_bokmaal_and_never_stored_readable(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox, db_session: Session
) -> None:
    response = await start(client, own(auth), "  Solveig.Tveit@Example.org ")
    assert response.status_code == 202, response.text
    assert set(response.json()) == {"id", "expires_at"}
    assert mailbox.recipients == [[EMAIL]]
    body = mailbox.bodies()[0]
    assert "bekrefte e-postadressen din" in body
    code = code_in(mailbox)
    rows = repr(db_session.execute(text("SELECT * FROM email_proof")).all())
    assert code not in rows
    assert "solveig" not in rows.lower()


async def test_the_answer_is_the_same_whether_or_not_any_store_holds_the_address(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox, services: Peers
) -> None:
    services.registry.hold(str(uuid.uuid4()), **SOLVEIG)
    held = await start(client, own(auth), EMAIL)
    unknown = await start(client, own(auth), "nobody@example.org")
    assert held.status_code == unknown.status_code == 202
    assert set(held.json()) == set(unknown.json())
    assert held.headers.keys() - {"x-request-id", "content-length"} == (
        unknown.headers.keys() - {"x-request-id", "content-length"}
    )
    assert services.registry.calls == services.consent.calls == []  # nothing was looked up


async def test_the_right_code_gives_a_proof_that_verifies_against_the_published_jwks(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    confirmed = await prove(client, auth, mailbox, NATIONAL_ID, EMAIL, SUB)
    assert confirmed["email"] == EMAIL
    jwks = (await client.get("/dsar/.well-known/jwks.json")).json()
    token = jwt.decode(confirmed["proof"], KeySet.import_key_set(jwks), algorithms=["ES256"])
    assert token.header["typ"] == "vern-email-proof+jwt"
    assert token.header["kid"] in {key["kid"] for key in jwks["keys"]}
    claims = token.claims
    assert claims["iss"] == "urn:vern:dsar"
    assert claims["aud"] == ["urn:vern:dsar", "urn:vern:consent"]
    assert (claims["sub"], claims["email"]) == (SUB, EMAIL)
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert claims["jti"]
    expires_at = datetime.fromisoformat(confirmed["expires_at"])
    assert int(expires_at.timestamp()) == claims["exp"]


async def test_a_proof_whose_payload_was_changed_does_not_verify(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    confirmed = await prove(client, auth, mailbox, NATIONAL_ID, EMAIL, SUB)
    forged = _with_claims(confirmed["proof"], email="someone.else@example.org")
    jwks = KeySet.import_key_set((await client.get("/dsar/.well-known/jwks.json")).json())
    with pytest.raises(JoseError):
        jwt.decode(forged, jwks, algorithms=["ES256"])
    response = await client.post(
        "/dsar/requests", json={"type": "access", "email_proof": forged}, headers=own(auth)
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["email_proof"]
    assert "someone.else" not in response.text


def _with_claims(proof: str, **changes: Any) -> str:
    header, payload, signature = proof.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


async def test_a_wrong_code_is_422_on_the_code_field_with_the_attempts_left(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    started = (await start(client, own(auth), EMAIL)).json()
    response = await confirm(client, own(auth), started["id"], wrong(code_in(mailbox)))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "code"
    assert "4 attempts left" in error["message"]
    assert "solveig" not in response.text.lower()
    right = await confirm(client, own(auth), started["id"], code_in(mailbox))
    assert right.status_code == 200  # a wrong guess before the right code is forgiven


async def test_after_five_wrong_codes_even_the_right_one_is_gone(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    started = (await start(client, own(auth), EMAIL)).json()
    code = code_in(mailbox)
    answers = [
        (await confirm(client, own(auth), started["id"], wrong(code))).status_code for _ in range(5)
    ]
    assert answers == [422] * 5
    assert (await confirm(client, own(auth), started["id"], code)).status_code == 410


async def test_a_code_expires_after_15_minutes(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox, later: MovedClock
) -> None:
    started = (await start(client, own(auth), EMAIL)).json()
    later.offset = timedelta(minutes=15, seconds=1)
    response = await confirm(client, own(auth), started["id"], code_in(mailbox))
    assert response.status_code == 410


async def test_a_code_is_used_once(client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox) -> None:
    started = (await start(client, own(auth), EMAIL)).json()
    assert (await confirm(client, own(auth), started["id"], code_in(mailbox))).status_code == 200
    assert (await confirm(client, own(auth), started["id"], code_in(mailbox))).status_code == 410


async def test_another_subjects_proof_is_not_found(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    started = (await start(client, own(auth), EMAIL)).json()
    other = auth.client(OTHER_NATIONAL_ID, sub=OTHER_SUB)
    response = await confirm(client, other, started["id"], code_in(mailbox))
    assert response.status_code == 404
    missing = await confirm(client, own(auth), str(uuid.uuid4()), code_in(mailbox))
    assert missing.status_code == 404
    # The other client's attempt was not counted against the owner.
    assert (await confirm(client, own(auth), started["id"], code_in(mailbox))).status_code == 200


async def test_a_client_may_ask_for_five_codes_an_hour(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    answers = [(await start(client, own(auth), EMAIL)).status_code for _ in range(5)]
    refused = await start(client, own(auth), EMAIL)
    assert answers == [202] * 5
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    other = await start(client, auth.client(OTHER_NATIONAL_ID), "other@example.org")
    assert other.status_code == 202  # the limit is per client
    assert len(mailbox.messages) == 6


async def test_an_invalid_address_is_422_on_the_email_field_without_echoing_it(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    response = await start(client, own(auth), "solveig.tveit@@example")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "email"
    assert "solveig" not in response.text
    assert mailbox.messages == []


async def test_only_a_client_logged_in_with_bankid_may_prove_an_address(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    assert (await start(client, auth.staff("manager"), EMAIL)).status_code == 403
    assert (await client.post(PROOFS, json={"email": EMAIL})).status_code == 401
    assert mailbox.messages == []


async def test_a_mail_server_that_refuses_the_code_is_503_and_nothing_is_kept(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: Any
) -> None:
    original = vern_app.state.settings
    vern_app.state.settings = original.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_timeout_seconds": 2.0}
    )
    try:
        response = await start(client, own(auth), EMAIL)
    finally:
        vern_app.state.settings = original
    assert response.status_code == 503
    assert "solveig" not in response.text
    assert db_session.execute(text("SELECT count(*) FROM email_proof")).scalar() == 0


# -- the proof in a self-service request ----------------------------------------------------------


async def test_a_self_service_request_with_a_proof_reaches_the_records_under_that_address(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox, services: Peers
) -> None:
    registry_id, consent_id = str(uuid.uuid4()), str(uuid.uuid4())
    services.registry.hold(registry_id, email=EMAIL)  # no national id on file
    services.consent.hold(consent_id, email=EMAIL)
    proof = (await prove(client, auth, mailbox, NATIONAL_ID, EMAIL, SUB))["proof"]
    response = await client.post(
        "/dsar/requests", json={"type": "access", "email_proof": proof}, headers=own(auth)
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["subject"]["email"] == EMAIL
    assert created["subject"]["national_id"] == NATIONAL_ID
    [search] = services.registry.bodies("/subjects/search")
    assert search["identifiers"]["email"] == EMAIL
    package = (
        await client.get(f"/dsar/requests/{created['id']}/package", headers=own(auth))
    ).json()
    assert [s["subject_id"] for s in package["services"]["registry"]["subjects"]] == [registry_id]
    assert [s["subject_id"] for s in package["services"]["consent"]["subjects"]] == [consent_id]


async def test_a_proof_given_to_one_client_is_refused_for_another(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox, services: Peers
) -> None:
    proof = (await prove(client, auth, mailbox, NATIONAL_ID, EMAIL, SUB))["proof"]
    other = auth.client(OTHER_NATIONAL_ID, sub=OTHER_SUB)
    response = await client.post(
        "/dsar/requests", json={"type": "access", "email_proof": proof}, headers=other
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["message"]) == ("email_proof", "was given to someone else")
    assert services.registry.calls == []


async def test_an_expired_proof_is_refused(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox, later: MovedClock
) -> None:
    proof = (await prove(client, auth, mailbox, NATIONAL_ID, EMAIL, SUB))["proof"]
    later.offset = timedelta(minutes=31)
    response = await client.post(
        "/dsar/requests", json={"type": "access", "email_proof": proof}, headers=own(auth)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("has expired")


async def test_staff_can_not_pass_an_email_proof(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox
) -> None:
    proof = (await prove(client, auth, mailbox, NATIONAL_ID, EMAIL, SUB))["proof"]
    body = {**SOLVEIG, "type": "access", "identity_check": "id_document", "email_proof": proof}
    response = await client.post("/dsar/requests", json=body, headers=auth.staff("manager"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["email_proof"]


async def test_no_address_or_code_reaches_the_logs_or_the_audit_trail(
    client: httpx.AsyncClient,
    auth: Tokens,
    mailbox: Inbox,
    db_session: Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    started = (await start(client, own(auth), EMAIL)).json()
    code = code_in(mailbox)
    await confirm(client, own(auth), started["id"], wrong(code))
    proof = (await confirm(client, own(auth), started["id"], code)).json()["proof"]
    await client.post(
        "/dsar/requests", json={"type": "access", "email_proof": proof}, headers=own(auth)
    )
    assert "email proof confirmed" in caplog.text  # the logs were captured
    audit = repr(db_session.execute(text("SELECT * FROM audit_event")).all())
    assert "email_proof.confirm" in audit
    for secret in (EMAIL, "solveig", code, proof, NATIONAL_ID):
        assert secret not in caplog.text
        assert secret not in audit


async def test_a_proof_older_than_an_hour_is_forgotten_with_its_key_when_the_next_starts(
    client: httpx.AsyncClient,
    auth: Tokens,
    mailbox: Inbox,
    db_session: Session,
    later: MovedClock,
    vern_app: Any,
) -> None:
    old = (await start(client, own(auth), EMAIL)).json()
    later.offset = timedelta(hours=1, seconds=1)
    new = (await start(client, auth.client(OTHER_NATIONAL_ID), "other@example.org")).json()
    ids = {str(row[0]) for row in db_session.execute(text("SELECT id FROM email_proof")).all()}
    assert {i.replace("-", "") for i in ids} == {new["id"].replace("-", "")}
    shredded = vern_app.state.vault.shredded_since(datetime.now(UTC) - timedelta(minutes=5))
    assert old["id"] in shredded

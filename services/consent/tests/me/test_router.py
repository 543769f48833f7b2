"""A client's own newsletter consents over HTTP: the state per list of the address dsar's proof
shows, giving consent without a confirmation mail, withdrawing it with an unsubscribe's effects,
and what is refused (proofs that are not the caller's, staff, machines)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from vern.consent.blindindex import email_index
from vern.consent.consents.models import (
    ConsentEvent,
    LegalText,
    Subscriber,
    SuppressedAddress,
)
from vern.consent.lists import service as list_service
from vern.consent.mail.models import MailMessage
from vern.consent.subscriptions import hooks
from vern.kit.audit import AuditEvent
from vern.kit.crypto import Vault
from vern.kit.testing.tokens import Tokens

from ..conftest import record
from .conftest import ADDRESS, NNIN, NORMALISED, SUB, Dsar

pytestmark = pytest.mark.anyio
PATH = "/consent/me/subscriptions"


def headers(auth: Tokens, proof: str, sub: str = SUB) -> dict[str, str]:
    return {**auth.client(NNIN, sub), "Vern-Email-Proof": proof}


async def mine(client: httpx.AsyncClient, auth: Tokens, dsar: Dsar) -> dict[str, Any]:
    response = await client.get(PATH, headers=headers(auth, dsar.proof()))
    assert response.status_code == 200, response.text
    return {item["list_id"]: item for item in response.json()}


def withdrawal_audit(session: Session) -> list[tuple[str, str, str, str | None]]:
    """The audit events a withdrawal wrote: the removal's own, naming the client."""
    events = session.exec(
        select(AuditEvent).where(
            col(AuditEvent.action).not_in(["subscription.give_own", "subscription.read_own"])
        )
    ).all()
    return [(e.action, e.actor, e.actor_kind, e.reason) for e in events]


def subscribers(session: Session, vault: Vault) -> list[Subscriber]:
    bidx = email_index(session, vault, NORMALISED)
    return list(session.exec(select(Subscriber).where(Subscriber.email_bidx == bidx)).all())


async def test_every_list_of_the_centre_is_shown_as_never_before_any_consent(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    lists = await mine(client, auth, dsar)
    assert set(lists) == {"general", "partners"}
    general = lists["general"]
    assert (general["state"], general["since"], general["consented_text"]) == ("never", None, None)
    assert "Nyhetsbrev fra Nok. Bergen" in general["legal_text"]
    assert general["legal_text_hash"] == list_service.legal_text_hash(general["legal_text"])


async def test_giving_consent_subscribes_the_proven_address_at_once_without_a_confirmation_mail(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar, db_session: Session, vault: Vault
) -> None:
    response = await client.post(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "subscribed"
    assert body["consented_text"] == body["legal_text"]
    assert db_session.exec(select(MailMessage)).all() == []
    [subscriber] = subscribers(db_session, vault)
    [event] = db_session.exec(
        select(ConsentEvent).where(ConsentEvent.subscriber_id == subscriber.id)
    ).all()
    assert (event.event, event.source, event.actor, event.list_id) == (
        "given", "self_service", SUB, "general",
    )  # fmt: skip
    assert event.legal_text_hash == body["legal_text_hash"]
    assert db_session.get(LegalText, body["legal_text_hash"]) is not None
    lists = await mine(client, auth, dsar)
    assert lists["general"]["state"] == "subscribed"
    assert lists["partners"]["state"] == "never"


async def test_giving_consent_again_records_nothing_more(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar, db_session: Session
) -> None:
    first = await client.post(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    again = await client.post(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    assert again.json() == first.json()
    assert len(db_session.exec(select(ConsentEvent)).all()) == 1


async def test_a_consent_staff_recorded_shows_as_subscribed_without_a_text(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    await record(client, auth, email=ADDRESS, list_id="partners")
    lists = await mine(client, auth, dsar)
    assert lists["partners"]["state"] == "subscribed"
    assert lists["partners"]["since"] is not None
    assert lists["partners"]["consented_text"] is None


async def test_a_request_from_the_public_form_shows_as_pending(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    response = await client.post(
        "/consent/subscriptions", json={"email": ADDRESS, "list_id": "general"}
    )
    assert response.status_code == 202
    assert (await mine(client, auth, dsar))["general"]["state"] == "pending"
    # Consenting here confirms the request: the proof shows the address is the client's.
    given = await client.post(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    assert given.json()["state"] == "subscribed"


async def test_withdrawing_the_last_list_deletes_the_address_as_an_unsubscribe_does(
    client: httpx.AsyncClient,
    auth: Tokens,
    dsar: Dsar,
    db_session: Session,
    vault: Vault,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    removals: list[hooks.AddressRemoval] = []
    monkeypatch.setattr(
        hooks, "address_removed_hooks", [lambda _s, _v, removal: removals.append(removal)]
    )
    await client.post(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    response = await client.delete(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "never"
    assert subscribers(db_session, vault) == []
    bidx = email_index(db_session, vault, NORMALISED)
    suppressed = db_session.get(SuppressedAddress, bidx)
    assert suppressed is not None
    assert suppressed.reason == "withdrawn"
    [removal] = removals
    assert (removal.list_id, removal.address_deleted, removal.email) == (
        "general",
        True,
        NORMALISED,
    )
    assert withdrawal_audit(db_session) == [("subscriber.delete", SUB, "client", "withdrawn")]


async def test_withdrawing_one_of_two_lists_keeps_the_address_and_records_the_withdrawal(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar, db_session: Session, vault: Vault
) -> None:
    for list_id in ("general", "partners"):
        await client.post(f"{PATH}/{list_id}", headers=headers(auth, dsar.proof()))
    response = await client.delete(f"{PATH}/partners", headers=headers(auth, dsar.proof()))
    assert response.json()["state"] == "withdrawn"
    [subscriber] = subscribers(db_session, vault)
    events = db_session.exec(
        select(ConsentEvent).where(ConsentEvent.subscriber_id == subscriber.id)
    ).all()
    assert sorted((e.list_id, e.event, e.source, e.actor) for e in events) == [
        ("general", "given", "self_service", SUB),
        ("partners", "given", "self_service", SUB),
        ("partners", "withdrawn", "self_service", SUB),
    ]
    assert withdrawal_audit(db_session) == [("subscription.delete", SUB, "client", "withdrawn")]
    lists = await mine(client, auth, dsar)
    assert (lists["general"]["state"], lists["partners"]["state"]) == ("subscribed", "withdrawn")


async def test_withdrawing_a_list_the_address_is_not_on_changes_nothing(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar, db_session: Session, vault: Vault
) -> None:
    response = await client.delete(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    assert response.json()["state"] == "never"
    bidx = email_index(db_session, vault, NORMALISED)
    assert db_session.get(SuppressedAddress, bidx) is None


async def test_consenting_again_after_withdrawing_lifts_the_suppression(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar, db_session: Session, vault: Vault
) -> None:
    await client.post(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    await client.delete(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    again = await client.post(f"{PATH}/general", headers=headers(auth, dsar.proof()))
    assert again.json()["state"] == "subscribed"
    bidx = email_index(db_session, vault, NORMALISED)
    assert db_session.get(SuppressedAddress, bidx) is None


async def test_an_unknown_list_is_refused_naming_the_field(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    response = await client.post(f"{PATH}/weekly", headers=headers(auth, dsar.proof()))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "list_id"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"exp": 1_000_000_000, "iat": 999_999_000}, "expired"),
        ({"aud": ["urn:vern:dsar"]}, "aud"),
        ({"iss": "urn:vern:registry"}, "iss"),
        ({"email": None}, "email"),
        ({"sub": "someone-else"}, "another login"),
        ({"typ": "vern-erasure-receipt+jwt"}, "typ"),
    ],
)
async def test_a_proof_that_is_not_valid_for_the_caller_is_refused_without_the_address(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar, change: dict[str, Any], reason: str
) -> None:
    typ = change.pop("typ", None)
    proof = dsar.proof(typ=typ, **change) if typ else dsar.proof(**change)
    response = await client.get(PATH, headers=headers(auth, proof))
    assert response.status_code == 403, response.text
    assert reason in response.json()["detail"]
    assert "kari" not in response.text.lower()


async def test_a_proof_signed_by_a_key_dsar_does_not_publish_is_refused(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    from joserfc.jwk import ECKey

    stranger = ECKey.generate_key("P-256", parameters={"kid": dsar.key.kid})
    response = await client.get(PATH, headers=headers(auth, dsar.proof(key=stranger)))
    assert response.status_code == 403
    assert "signature" in response.json()["detail"]


async def test_a_changed_proof_is_refused(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    header, _payload, signature = dsar.proof().split(".")
    other = dsar.proof(email="someone.else@example.org").split(".")[1]
    response = await client.get(PATH, headers=headers(auth, f"{header}.{other}.{signature}"))
    assert response.status_code == 403
    malformed = await client.get(PATH, headers=headers(auth, "a.b.c"))
    assert malformed.status_code == 403


async def test_without_a_proof_the_answer_names_the_header(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    response = await client.get(PATH, headers=auth.client(NNIN, SUB))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Vern-Email-Proof"


async def test_staff_and_machines_may_not_use_the_clients_own_consents(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    proof = {"Vern-Email-Proof": dsar.proof()}
    for who in (auth.staff("manager"), auth.staff("dpo"), auth.machine()):
        assert (await client.get(PATH, headers={**who, **proof})).status_code == 403
    assert (await client.get(PATH, headers=proof)).status_code == 401


async def test_dsar_keys_are_fetched_once_and_again_only_for_an_unknown_key(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar, monkeypatch: pytest.MonkeyPatch
) -> None:
    await mine(client, auth, dsar)
    await mine(client, auth, dsar)
    assert dsar.fetches == 1
    monkeypatch.setattr("vern.kit.auth._REFETCH_INTERVAL", 0.0)
    dsar.rotate()
    await mine(client, auth, dsar)
    assert dsar.fetches == 2


async def test_dsar_unreachable_for_its_keys_is_a_503(
    client: httpx.AsyncClient, auth: Tokens, dsar: Dsar
) -> None:
    dsar.up = False
    response = await client.get(PATH, headers=headers(auth, dsar.proof()))
    assert response.status_code == 503


async def test_audit_events_and_logs_hold_no_address_nor_proof(
    client: httpx.AsyncClient,
    auth: Tokens,
    dsar: Dsar,
    db_session: Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    proof = dsar.proof()
    await client.post(f"{PATH}/general", headers=headers(auth, proof))
    await client.get(PATH, headers=headers(auth, proof))
    await client.delete(f"{PATH}/general", headers=headers(auth, proof))
    await client.get(PATH, headers=headers(auth, dsar.proof(sub="someone-else")))
    events = db_session.exec(select(AuditEvent)).all()
    actions = {e.action for e in events}
    assert {"subscription.give_own", "subscription.read_own", "subscriber.delete"} <= actions
    dumped = " ".join(str(e.model_dump()) for e in events) + caplog.text
    for secret in (NORMALISED, ADDRESS, "kari.holm", proof, proof.split(".")[1]):
        assert secret.lower() not in dumped.lower()

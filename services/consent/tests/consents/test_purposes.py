"""Purposes come from the org profile; the ledger cites the exact text shown and a guardian."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from vern.consent.consents.models import ConsentEvent, LegalText, Subscriber
from vern.consent.subscriptions.models import Subscription
from vern.kit.testing.tokens import Tokens

from ..conftest import OPT_IN, record

pytestmark = pytest.mark.anyio
TEXT = "Jeg samtykker til at Nok. Bergen sender meg nyhetsbrev på e-post."


async def post(client: httpx.AsyncClient, auth: Tokens, **changes: Any) -> httpx.Response:
    return await client.post(
        "/consent/internal/consents",
        json={**OPT_IN, **changes},
        headers={**auth.machine(), "Idempotency-Key": str(uuid.uuid4())},
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purpose": "payroll"}, "purpose"),  # based on contract, not consent
        ({"purpose": "marketing"}, "purpose"),  # not in the profile at all
        ({"list_id": "secret"}, "list_id"),
        ({"purpose": "surveys", "list_id": "general"}, "list_id"),
        ({"legal_text_hash": "a" * 64}, "legal_text_hash"),
    ],
)
async def test_a_purpose_list_or_text_the_centre_does_not_have_is_422(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    change: dict[str, Any],
    field: str,
) -> None:
    response = await post(client, auth, **change)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert db_session.exec(select(Subscriber)).all() == []


async def test_the_registry_opt_in_subscribes_the_first_list_confirmed(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    assert body["list_id"] == "general"
    [subscription] = db_session.exec(select(Subscription)).all()
    assert (subscription.list_id, subscription.status) == ("general", "confirmed")
    assert subscription.unsubscribe_token_hash is not None


async def test_the_text_shown_is_stored_once_and_the_ledger_cites_its_hash(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    await record(client, auth, legal_text=TEXT)
    await record(client, auth, legal_text=TEXT, subject_ref="p2", email="to@example.org")
    later = await record(client, auth, legal_text_hash=digest, subject_ref="p3", email="t@e.org")
    assert [t.hash for t in db_session.exec(select(LegalText)).all()] == [digest]
    event = db_session.get(ConsentEvent, uuid.UUID(later["consent_event_id"]))
    assert event is not None
    assert event.legal_text_hash == digest
    response = await client.get(f"/consent/legal-texts/{digest}", headers=auth.staff("dpo"))
    assert response.status_code == 200
    assert response.json() == {"hash": digest, "text": TEXT}
    assert (
        await client.get(f"/consent/legal-texts/{digest}", headers=auth.staff("coordinator"))
    ).status_code == 403


async def test_a_guardians_consent_for_a_minor_names_the_guardian_by_id(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = await record(client, auth, purpose="contact_register", guardian_ref="guardian-7")
    response = await client.get(
        f"/consent/subjects/{body['subscriber_id']}/consents", headers=auth.staff("manager")
    )
    [event] = response.json()["history"]
    assert (event["purpose"], event["guardian_ref"]) == ("contact_register", "guardian-7")


async def test_withdrawing_is_as_easy_as_giving(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    given = await post(client, auth)
    withdrawn = await post(client, auth, event="withdrawn", email=None)
    assert given.status_code == withdrawn.status_code == 201
    assert withdrawn.json()["state"] == "withdrawn"
    assert db_session.exec(select(Subscription)).all() == []

"""Clients over HTTP: registration, encryption at rest, need to know, validation, newsletter."""

from __future__ import annotations

import json
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session, select

from vern.kit.outbox import OutboxMessage
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from .conftest import CLIENT, FNR, register

pytestmark = pytest.mark.anyio


async def test_coordinator_registers_a_client_with_normalised_contact_data(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = await register(client, auth)
    assert body["email"] == "sigrid.fjell@example.org"
    assert body["phone"] == "+4791234567"
    assert body["retention_due_date"] > body["intake_date"]


async def test_client_fields_are_encrypted_at_rest(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, every_field_profile: object
) -> None:
    await register(
        client,
        auth,
        national_id=FNR,
        address="Fjellveien 1, 5000 Bergen",
        partner={"name": "Partner Parsen", "phone": "+4798765432"},
    )
    rows = db_session.execute(text("SELECT * FROM person")).all()
    dump = repr(rows)
    for plaintext in (
        "Sigrid", "Fjell", "example.org", "91234567", FNR, "1965-07-15", "Fjellveien",
        "Parsen", "98765432",
    ):  # fmt: skip
        assert plaintext not in dump


async def test_assigned_counsellor_reads_the_record(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await client.get(
        f"/registry/persons/{person['id']}", headers=auth.staff("counsellor", sub=COUNSELLOR)
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == CLIENT["full_name"]


async def test_other_counsellor_is_refused_without_a_reason(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await client.get(
        f"/registry/persons/{person['id']}", headers=auth.staff("counsellor", sub=OTHER_COUNSELLOR)
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "break-glass" in response.json()["detail"]
    assert "Sigrid" not in response.text


async def test_counsellor_lists_only_their_own_clients(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    mine = await register(client, auth)
    await register(client, auth, assigned_counsellor_id=OTHER_COUNSELLOR, full_name="Annen Klient")
    response = await client.get(
        "/registry/persons", headers=auth.staff("counsellor", sub=COUNSELLOR)
    )
    assert [p["id"] for p in response.json()] == [mine["id"]]


async def test_counsellor_cannot_register_clients(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.post("/registry/persons", json=CLIENT, headers=auth.staff("counsellor"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"intake_date": "2999-01-01"}, "intake_date"),
        ({"full_name": ""}, "full_name"),
        ({"unknown": 1}, "unknown"),
        ({"assigned_counsellor_id": "nobody-here"}, "assigned_counsellor_id"),
    ],
)
async def test_invalid_input_is_refused_naming_the_field_without_echoing_it(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    change: dict[str, object],
    field: str,
) -> None:
    response = await client.post(
        "/registry/persons", json={**CLIENT, **change}, headers=auth.staff("coordinator")
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    for value in change.values():
        if isinstance(value, str) and value:
            assert value not in response.text
    assert db_session.execute(text("SELECT count(*) FROM person")).scalar() == 0


async def test_newsletter_opt_in_is_queued_for_the_consent_service(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: FastAPI
) -> None:
    person = await register(client, auth, newsletter_opt_in=True)
    message = db_session.exec(select(OutboxMessage)).one()
    assert (message.target, message.subject_id) == ("consent", person["id"])
    assert "example.org" not in message.payload  # sealed with the client's key
    sealed = vern_app.state.vault.decrypt(person["id"], message.payload, context="outbox.payload")
    payload = json.loads(sealed)
    # The consent is dated when it was given, so a late delivery cannot undo a later withdrawal.
    assert datetime.fromisoformat(payload["occurred_at"]) == datetime.fromisoformat(
        person["created_at"]
    )

"""Break glass: a staff member without a need to know reads a record only with a stated reason,
given in the body; the audit event is marked, and the DPO and the manager can list such reads."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import Session, select

from vern.kit.audit import AuditEvent
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from .conftest import register

pytestmark = pytest.mark.anyio
REASON = "akutt henvendelse på vakt, veileder syk"


async def _break_glass(
    client: httpx.AsyncClient, person_id: str, headers: dict[str, str], reason: str = REASON
) -> httpx.Response:
    return await client.post(
        f"/registry/persons/{person_id}/break-glass", json={"reason": reason}, headers=headers
    )


async def test_break_glass_read_with_a_reason_is_marked_in_the_audit_log(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    person = await register(client, auth)
    response = await _break_glass(
        client, person["id"], auth.staff("counsellor", sub=OTHER_COUNSELLOR)
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Sigrid Testesen Fjell"
    event = db_session.exec(select(AuditEvent).where(AuditEvent.break_glass)).one()
    assert (event.actor, event.subject_id, event.reason, event.action) == (
        OTHER_COUNSELLOR,
        person["id"],
        REASON,
        "person.read",
    )


async def test_the_dpo_reads_a_client_only_through_break_glass(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    dpo = auth.staff("dpo", sub="dpo-1")
    assert (await client.get(f"/registry/persons/{person['id']}", headers=dpo)).status_code == 403
    assert (await _break_glass(client, person["id"], dpo)).status_code == 200


@pytest.mark.parametrize("reason", ["", "fordi", "x" * 501])
async def test_break_glass_needs_a_real_reason(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, reason: str
) -> None:
    person = await register(client, auth)
    response = await _break_glass(client, person["id"], auth.staff("dpo"), reason=reason)
    assert response.status_code == 422
    assert db_session.exec(select(AuditEvent).where(AuditEvent.break_glass)).all() == []


async def test_a_reason_in_a_header_does_not_open_the_record(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    headers = {**auth.staff("counsellor", sub=OTHER_COUNSELLOR), "X-Access-Reason": "akutt"}
    assert (
        await client.get(f"/registry/persons/{person['id']}", headers=headers)
    ).status_code == 403


async def test_a_reading_with_a_need_to_know_is_not_break_glass(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    person = await register(client, auth)
    response = await _break_glass(client, person["id"], auth.staff("counsellor", sub=COUNSELLOR))
    assert response.status_code == 200
    assert db_session.exec(select(AuditEvent).where(AuditEvent.break_glass)).all() == []


@pytest.mark.parametrize("role", ["dpo", "manager"])
async def test_dpo_and_manager_list_break_glass_reads_with_ids_never_names(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    person = await register(client, auth)
    await _break_glass(client, person["id"], auth.staff("counsellor", sub=OTHER_COUNSELLOR))
    response = await client.get("/registry/audit/break-glass", headers=auth.staff(role))
    assert response.status_code == 200
    [reading] = response.json()
    assert reading["subject_id"] == person["id"]
    assert (reading["actor"], reading["roles"], reading["reason"]) == (
        OTHER_COUNSELLOR,
        ["counsellor"],
        REASON,
    )
    assert "Sigrid" not in response.text
    assert "example.org" not in response.text


@pytest.mark.parametrize("role", ["counsellor", "coordinator"])
async def test_others_cannot_list_break_glass_reads(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    response = await client.get("/registry/audit/break-glass", headers=auth.staff(role))
    assert response.status_code == 403

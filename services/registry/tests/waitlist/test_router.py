"""The waiting list over HTTP: who may use it, what it accepts, what it stores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from vern.kit.audit import AuditEvent
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR
from ..module_access import REFUSED, Headers, staff
from .conftest import APPLICANT, PLAINTEXTS, put_on_waitlist

pytestmark = pytest.mark.anyio

MISSING = "00000000-0000-4000-8000-000000000000"

# name -> (method, path, body); "{id}" is an entry on the list
OPERATIONS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "list": ("GET", "/registry/waitlist", None),
    "create": ("POST", "/registry/waitlist", APPLICANT),
    "read": ("GET", "/registry/waitlist/{id}", None),
    "assign": ("POST", "/registry/waitlist/{id}/counsellor", {"counsellor_id": COUNSELLOR}),
    "promote": (
        "POST",
        "/registry/waitlist/{id}/promotion",
        {"agreed_fields": ["full_name", "phone"]},
    ),
    "remove": ("DELETE", "/registry/waitlist/{id}", None),
}
ALLOWED_STATUS = {
    "list": 200,
    "create": 201,
    "read": 200,
    "assign": 200,
    "promote": 201,
    "remove": 204,
}

CALLERS: dict[str, tuple[Headers, int | None]] = {
    "counsellor": (staff("counsellor", COUNSELLOR), 403),
    "dpo": (staff("dpo"), 403),
    **REFUSED,
    "coordinator": (staff("coordinator"), None),
    "manager": (staff("manager"), None),
}


async def _call(
    client: httpx.AsyncClient, operation: str, entry_id: str, headers: dict[str, str]
) -> httpx.Response:
    method, path, body = OPERATIONS[operation]
    return await client.request(method, path.replace("{id}", entry_id), json=body, headers=headers)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("caller", CALLERS)
async def test_only_coordinators_and_managers_use_the_waiting_list(
    client: httpx.AsyncClient, auth: Tokens, operation: str, caller: str
) -> None:
    entry = await put_on_waitlist(client, auth)
    headers, refused = CALLERS[caller]
    response = await _call(client, operation, entry["id"], headers(auth))
    assert response.status_code == (refused or ALLOWED_STATUS[operation]), response.text


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_every_waiting_list_operation_is_404_when_the_centre_has_no_waiting_list(
    client: httpx.AsyncClient,
    auth: Tokens,
    profile_change: Callable[..., OrgProfile],
    operation: str,
) -> None:
    entry = await put_on_waitlist(client, auth)
    profile_change(modules={"waitlist": False})
    response = await _call(client, operation, entry["id"], auth.staff("manager"))
    assert response.status_code == 404
    assert "waiting list is not in use" in response.json()["detail"]


async def test_unknown_entry_is_404(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.get(f"/registry/waitlist/{MISSING}", headers=auth.staff("manager"))
    assert response.status_code == 404


async def test_coordinator_puts_a_new_user_on_the_list_with_normalised_contact_data(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    entry = await put_on_waitlist(client, auth)
    assert entry["email"] == "ingrid.haug@example.org"
    assert entry["phone"] == "+4791345678"
    assert entry["affected_as"] == "self_affected"
    assert entry["abuse_kind"] == "complex"
    assert entry["new_user"] is True
    assert entry["other_help_services"] is False
    assert entry["retention_due_date"] is None  # no counsellor yet, no clock
    listing = await client.get("/registry/waitlist", headers=auth.staff("coordinator"))
    assert [e["full_name"] for e in listing.json()] == [APPLICANT["full_name"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("received_date", "2999-01-01"),
        ("birth_date", "2999-01-01"),
        ("email", "ingrid.haug@@example"),
        ("phone", "12"),
        ("gender", "cat"),
        ("abuse_kind", "severe"),
        ("full_name", ""),
        ("nickname", "Inga"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, field: str, value: str
) -> None:
    response = await client.post(
        "/registry/waitlist", json={**APPLICANT, field: value}, headers=auth.staff("coordinator")
    )
    assert response.status_code == 422
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == [field]
    if len(value) > 2:
        assert value not in response.text
    assert db_session.execute(text("SELECT count(*) FROM waitlist_entry")).scalar_one() == 0


async def test_an_applicant_without_email_or_phone_is_refused(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = {**APPLICANT, "email": None, "phone": None}
    response = await client.post("/registry/waitlist", json=body, headers=auth.staff("manager"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


async def test_waiting_list_fields_are_encrypted_at_rest(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    await put_on_waitlist(client, auth)
    dump = repr(db_session.execute(text("SELECT * FROM waitlist_entry")).all())
    for plaintext in PLAINTEXTS:
        assert plaintext not in dump


async def test_assigning_a_counsellor_shows_the_deletion_date(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    entry = await put_on_waitlist(client, auth)
    response = await client.post(
        f"/registry/waitlist/{entry['id']}/counsellor",
        json={"counsellor_id": COUNSELLOR},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["assigned_counsellor_id"] == COUNSELLOR
    assert body["counsellor_assigned_at"] is not None
    assert body["retention_due_date"] is not None


async def test_assigning_an_unknown_counsellor_is_a_422(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    entry = await put_on_waitlist(client, auth)
    response = await client.post(
        f"/registry/waitlist/{entry['id']}/counsellor",
        json={"counsellor_id": "nobody"},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "counsellor_id"


async def test_removing_an_entry_deletes_it(client: httpx.AsyncClient, auth: Tokens) -> None:
    entry = await put_on_waitlist(client, auth)
    response = await client.delete(
        f"/registry/waitlist/{entry['id']}", headers=auth.staff("coordinator")
    )
    assert response.status_code == 204
    again = await client.get(f"/registry/waitlist/{entry['id']}", headers=auth.staff("manager"))
    assert again.status_code == 404


async def test_every_waiting_list_operation_is_audited_with_ids_only(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    entry = await put_on_waitlist(client, auth)
    for operation in ("list", "read", "assign", "remove"):
        await _call(client, operation, entry["id"], auth.staff("coordinator"))
    events = db_session.exec(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "waitlist_entry")
        .order_by(col(AuditEvent.id))
    ).all()
    assert [e.action for e in events] == [
        "waitlist.create",
        "waitlist.list",
        "waitlist.read",
        "waitlist.assign_counsellor",
        "waitlist.delete",
    ]
    assert {e.subject_id for e in events} == {entry["id"], None}
    dump = repr([e.model_dump() for e in events])
    for plaintext in PLAINTEXTS:
        assert plaintext not in dump

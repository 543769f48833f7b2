"""Data requests over HTTP: access packages from every service, self-service with BankID, failure."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from vern.kit.audit import AuditEvent
from vern.kit.clock import add_months, today_oslo
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, MANAGER, OTHER_COUNSELLOR, OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers

pytestmark = pytest.mark.anyio

REGISTRY_ID = str(uuid.uuid4())
CONSENT_ID = str(uuid.uuid4())
ACCESS = {**SOLVEIG, "type": "access", "identity_check": "id_document"}


def services_done(read: dict[str, Any]) -> bool:
    """Both Vern services' tasks are done (the outside systems' manual tasks stay open)."""
    status = {t["target"]: t["status"] for t in read["tasks"]}
    return status["registry"] == status["consent"] == "done"


def hold_solveig(services: Peers) -> None:
    services.registry.hold(REGISTRY_ID, **SOLVEIG)
    services.consent.hold(CONSENT_ID, email=SOLVEIG["email"])


async def file(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/dsar/requests", json=body or ACCESS, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_staff_access_request_collects_both_services_exports_into_one_package(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    hold_solveig(services)
    created = await file(client, auth.staff("manager", sub=MANAGER))
    assert (created["status"], created["channel"], created["handler"]) == (
        "in_progress",
        "staff",
        None,  # carried out by Vern itself, not by a handler
    )
    assert services_done(created)
    assert created["subject"] == {"name": None, **SOLVEIG}
    assert created["identity_check"] == "id_document"
    assert created["registered_by"] == MANAGER

    response = await client.get(
        f"/dsar/requests/{created['id']}/package", headers=auth.staff("dpo")
    )
    assert response.status_code == 200
    package = response.json()
    assert package["request_id"] == created["id"]
    assert package["subject"] == SOLVEIG
    assert set(package["services"]) == {"registry", "consent"}
    registry, consent = package["services"]["registry"], package["services"]["consent"]
    assert [s["subject_id"] for s in registry["subjects"]] == [REGISTRY_ID]
    assert [s["subject_id"] for s in consent["subjects"]] == [CONSENT_ID]
    assert registry["subjects"][0]["categories"][0]["data"] == SOLVEIG
    assert registry["request_id"] == consent["request_id"] == created["id"]


async def test_consent_is_searched_by_email_and_by_the_registry_subject_ids(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    hold_solveig(services)
    created = await file(client, auth.staff("coordinator"))
    [registry_search] = services.registry.bodies("/subjects/search")
    assert registry_search["identifiers"] | SOLVEIG == registry_search["identifiers"]
    [consent_search] = services.consent.bodies("/subjects/search")
    assert consent_search["identifiers"]["email"] == SOLVEIG["email"]
    assert consent_search["identifiers"]["subject_refs"] == [REGISTRY_ID]
    [consent_export] = services.consent.bodies("/subjects/export")
    assert consent_export == {"request_id": created["id"], "subject_ids": [CONSENT_ID]}
    assert services.credentials.asked == {
        ("urn:vern:registry", "registry:internal"),
        ("urn:vern:consent", "consent:internal"),
    }


async def test_a_service_holding_nothing_is_shown_empty_in_the_package_without_an_export_call(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    services.registry.hold(REGISTRY_ID, **SOLVEIG)
    created = await file(client, auth.staff("manager"))
    assert services_done(created)
    assert services.consent.bodies("/subjects/export") == []
    package = (
        await client.get(f"/dsar/requests/{created['id']}/package", headers=auth.staff("manager"))
    ).json()
    assert package["services"]["consent"]["subjects"] == []


async def test_identifiers_and_the_package_are_encrypted_at_rest(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, db_session: Session
) -> None:
    hold_solveig(services)
    await file(client, auth.staff("manager"))
    dump = repr(db_session.execute(text("SELECT * FROM data_request")).all())
    for plaintext in (SOLVEIG["national_id"], "solveig", "example.org", "Testformål"):
        assert plaintext not in dump


async def test_client_self_service_request_uses_the_national_id_from_the_bankid_login(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    services.registry.hold(REGISTRY_ID, national_id=SOLVEIG["national_id"])
    created = await file(client, auth.client(SOLVEIG["national_id"]), {"type": "access"})
    assert (created["channel"], created["status"], created["registered_by"]) == (
        "self_service",
        "in_progress",
        None,
    )
    assert services_done(created)
    assert created["identity_check"] == "bankid_login"
    [search] = services.registry.bodies("/subjects/search")
    assert search["identifiers"]["national_id"] == SOLVEIG["national_id"]
    assert search["identifiers"]["email"] is None


@pytest.mark.parametrize("field", ["national_id", "email", "name", "identity_check", "channel"])
async def test_client_cannot_name_identifiers_of_their_own_choosing(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, field: str
) -> None:
    values = {
        **ACCESS,
        "national_id": OTHER_NATIONAL_ID,
        "channel": "letter_email",
        "name": "Kari Nordmann",
    }
    response = await client.post(
        "/dsar/requests",
        json={"type": "access", field: values[field]},
        headers=auth.client(SOLVEIG["national_id"]),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert str(values[field]) not in response.text
    assert services.registry.calls == []


async def test_client_reads_their_own_request_and_package(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    hold_solveig(services)
    own = auth.client(SOLVEIG["national_id"])
    created = await file(client, auth.staff("manager"))  # staff filed it, naming her national id
    response = await client.get(f"/dsar/requests/{created['id']}", headers=own)
    assert (response.status_code, services_done(response.json())) == (200, True)
    assert response.json()["received_at"] == created["received_at"]  # stored in UTC, said so
    package = await client.get(f"/dsar/requests/{created['id']}/package", headers=own)
    assert package.status_code == 200
    listed = await client.get("/dsar/requests", headers=own)
    assert [r["id"] for r in listed.json()["items"]] == [created["id"]]


async def test_another_client_can_neither_see_nor_list_the_request(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    created = await file(client, auth.client(SOLVEIG["national_id"]), {"type": "access"})
    other = auth.client(OTHER_NATIONAL_ID)
    for path in (f"/dsar/requests/{created['id']}", f"/dsar/requests/{created['id']}/package"):
        response = await client.get(path, headers=other)
        assert response.status_code == 404
        assert SOLVEIG["national_id"] not in response.text
    listed = await client.get("/dsar/requests", headers=other)
    assert listed.json()["items"] == []


async def test_access_request_is_due_one_calendar_month_after_receipt_in_oslo(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: object
) -> None:
    created = await file(client, auth.staff("manager"))
    assert created["due_date"] == add_months(today_oslo(), 1).isoformat()
    assert created["first_due_date"] == created["due_date"]


@pytest.mark.parametrize(
    ("failure", "error", "kind", "status"),
    [
        ({"fail_with": 503}, "registry subjects/search: HTTP 503", "server_error", 503),
        ({"fail_with": 500}, "registry subjects/search: HTTP 500", "server_error", 500),
        ({"fail_with": 400}, "registry subjects/search: HTTP 400", "client_error", 400),
        ({"unreachable": True}, "registry subjects/search: ConnectError", "unreachable", None),
        ({"times_out": True}, "registry subjects/search: ReadTimeout", "timeout", None),
        ({"garbled": True}, "registry subjects/search: unexpected response", "bad_answer", None),
    ],
)
async def test_an_unreachable_service_leaves_its_task_failed_with_no_personal_data(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    db_session: Session,
    failure: dict[str, Any],
    error: str,
    kind: str,
    status: int | None,
) -> None:
    for name, value in failure.items():
        setattr(services.registry, name, value)
    created = await file(client, auth.staff("manager"))
    stored = (await client.get(f"/dsar/requests/{created['id']}", headers=auth.staff("dpo"))).json()
    tasks = {t["target"]: t for t in stored["tasks"]}
    assert stored["status"] == "in_progress"
    assert (tasks["registry"]["status"], tasks["registry"]["error"]) == ("failed", error)
    assert (tasks["registry"]["error_kind"], tasks["registry"]["error_status"]) == (kind, status)
    assert tasks["registry"]["next_attempt_at"] is not None
    assert tasks["consent"]["status"] == "pending"  # waits for the registry's ids
    package = await client.get(f"/dsar/requests/{created['id']}/package", headers=auth.staff("dpo"))
    assert package.status_code == 404
    assert services.consent.calls == []
    for table in ("data_request", "request_task"):
        dump = repr(db_session.execute(text(f"SELECT * FROM {table}")).all())  # noqa: S608
        for plaintext in SOLVEIG.values():
            assert plaintext not in dump


async def test_a_transient_503_is_retried_by_the_service_client(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    hold_solveig(services)
    handle = services.registry.handle
    attempts = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.path)
        if len(attempts) == 1:
            return httpx.Response(503)
        return handle(request)

    services.registry.handle = flaky  # type: ignore[method-assign]
    created = await file(client, auth.staff("manager"))
    assert services_done(created)
    assert attempts[:2] == ["/registry/internal/subjects/search"] * 2


@pytest.mark.parametrize("kind", ["erasure", "restriction", "objection"])
async def test_requests_other_than_access_wait_for_a_handler_once_identity_is_checked(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: object, kind: str
) -> None:
    created = await file(client, auth.staff("counsellor"), {**ACCESS, "type": kind})
    assert (created["type"], created["status"]) == (kind, "identity_verified")
    assert services.registry.calls == services.consent.calls == []
    package = await client.get(
        f"/dsar/requests/{created['id']}/package", headers=auth.staff("manager")
    )
    assert package.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"identity_check": None}, "identity_check"),
        ({"identity_check": "bankid_login"}, "identity_check"),
        ({"identity_check": "saw them"}, "identity_check"),
        ({"corrections": {"email": "ny@example.org"}}, "corrections"),
        ({"type": "rectification"}, "corrections"),
        ({"name": ""}, "name"),
        ({"national_id": None, "email": None}, "national_id"),
        ({"national_id": "15076500566"}, "national_id"),
        ({"email": "not-an-email"}, "email"),
        ({"channel": "self_service"}, "channel"),
        ({"type": "forget-me"}, "type"),
    ],
)
async def test_staff_request_needs_identifiers_and_an_identity_check(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    db_session: Session,
    change: dict[str, Any],
    field: str,
) -> None:
    body = {k: v for k, v in {**ACCESS, **change}.items() if v is not None}
    response = await client.post("/dsar/requests", json=body, headers=auth.staff("manager"))
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    for value in change.values():
        if isinstance(value, str) and value:
            assert value not in response.text
    assert db_session.execute(text("SELECT count(*) FROM data_request")).scalar() == 0


async def test_every_read_and_write_is_audited_with_ids_only(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, db_session: Session
) -> None:
    hold_solveig(services)
    created = await file(client, auth.staff("manager", sub=MANAGER))
    await client.get(f"/dsar/requests/{created['id']}", headers=auth.staff("dpo"))
    await client.get(f"/dsar/requests/{created['id']}/package", headers=auth.staff("dpo"))
    await client.get("/dsar/requests", headers=auth.staff("dpo"))
    events = db_session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [(e.action, e.subject_id) for e in events] == [
        ("data_request.create", created["id"]),
        ("data_request.transition", created["id"]),
        ("data_request.transition", created["id"]),
        ("data_request.read", created["id"]),
        ("data_request.read", created["id"]),
        ("data_request.package_read", created["id"]),
        ("data_request.list", None),
    ]
    assert [e.reason for e in events[1:3]] == [
        "received -> identity_verified",
        "identity_verified -> in_progress (automatic)",
    ]
    dump = repr(db_session.execute(text("SELECT * FROM audit_event")).all())
    for plaintext in SOLVEIG.values():
        assert plaintext not in dump


async def test_staff_other_than_managers_and_the_dpo_see_only_the_requests_they_registered(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    mine = await file(client, auth.staff("counsellor", sub=COUNSELLOR))
    theirs = await file(client, auth.staff("counsellor", sub=OTHER_COUNSELLOR))
    me = auth.staff("counsellor", sub=COUNSELLOR)
    assert (await client.get(f"/dsar/requests/{mine['id']}", headers=me)).status_code == 200
    assert (await client.get(f"/dsar/requests/{theirs['id']}", headers=me)).status_code == 403
    listed = await client.get("/dsar/requests", headers=me)
    assert [r["id"] for r in listed.json()["items"]] == [mine["id"]]
    everything = await client.get("/dsar/requests", headers=auth.staff("dpo"))
    assert {r["id"] for r in everything.json()["items"]} == {mine["id"], theirs["id"]}

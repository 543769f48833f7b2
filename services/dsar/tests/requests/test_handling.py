"""Handling a request over HTTP: the lifecycle, four-eyes approval, Nok. Bergen's erasure at
once, rejections with a reason, letters awaiting an identity check, and the audit trail."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session, col, select

from vern.dsar.problems import TASK_DONE_PROBLEMS, TRANSITION_PROBLEMS
from vern.kit.audit import AuditEvent
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, SOLVEIG
from ..fakes import Peers
from .conftest import STAFF_BODY, file_request, finish_tasks, move

pytestmark = pytest.mark.anyio

HANDLER = "manager-1"
SECOND = "dpo-1"


async def test_an_erasure_moves_through_the_lifecycle_with_every_move_audited_by_status_name(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, db_session: Session
) -> None:
    handler, second = auth.staff("manager", sub=HANDLER), auth.staff("dpo", sub=SECOND)
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    assert created["status"] == "identity_verified"
    for headers, status in [
        (handler, "in_progress"),
        (handler, "awaiting_approval"),
        (second, "approved"),
    ]:
        response = await move(client, created["id"], headers, status)
        assert (response.status_code, response.json()["status"]) == (200, status), response.text
    done = await finish_tasks(client, created["id"], handler)
    assert done["status"] == "completed"
    assert done["approval"]["kind"] == "four_eyes"
    assert done["approval"]["approved_by"] == SECOND
    assert done["handler"] == HANDLER
    assert done["completed_at"] is not None
    events = db_session.exec(
        select(AuditEvent)
        .where(AuditEvent.subject_id == created["id"])
        .where(AuditEvent.action == "data_request.transition")
        .order_by(col(AuditEvent.id))
    ).all()
    assert [e.reason for e in events] == [
        "received -> identity_verified",
        "identity_verified -> in_progress",
        "in_progress -> awaiting_approval",
        "awaiting_approval -> approved",
        "approved -> completed (automatic)",
    ]
    assert [e.actor for e in events[1:]] == [HANDLER, HANDLER, SECOND, HANDLER]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "completed"),
        ([], "awaiting_approval"),
        (["in_progress", "awaiting_approval", "approved", "tasks"], "in_progress"),
        (["rejected"], "in_progress"),
        (["withdrawn"], "identity_verified"),
    ],
)
async def test_a_move_the_lifecycle_does_not_allow_is_409_and_changes_nothing(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, path: list[str], target: str
) -> None:
    handler, second = auth.staff("manager", sub=HANDLER), auth.staff("dpo", sub=SECOND)
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    for status in path:
        if status == "tasks":
            assert (await finish_tasks(client, created["id"], handler))["status"] == "completed"
            continue
        extra = {"rejection_reason": "excessive"} if status == "rejected" else {}
        headers = second if status == "approved" else handler
        assert (await move(client, created["id"], headers, status, **extra)).status_code == 200
    before = (await client.get(f"/dsar/requests/{created['id']}", headers=handler)).json()
    response = await move(client, created["id"], handler, target)
    assert response.status_code == 409
    assert f"to {target}" in response.json()["detail"]
    assert response.json()["type"] == "urn:vern:problem:transition-not-allowed"
    after = (await client.get(f"/dsar/requests/{created['id']}", headers=handler)).json()
    assert after["status"] == before["status"]


async def test_under_four_eyes_an_erasure_is_not_carried_out_before_a_second_person_approves(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    handler = auth.staff("manager", sub=HANDLER)
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    await move(client, created["id"], handler, "in_progress")
    refused = await move(client, created["id"], handler, "completed")
    assert refused.status_code == 409
    assert "approved" in refused.json()["detail"]
    assert refused.json()["type"] == "urn:vern:problem:approval-required"


async def test_the_staff_member_who_handled_an_erasure_cannot_approve_it(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    handler = auth.staff("manager", sub=HANDLER)
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    await move(client, created["id"], handler, "in_progress")
    await move(client, created["id"], handler, "awaiting_approval")
    response = await move(client, created["id"], handler, "approved")
    assert response.status_code == 403
    assert "second staff member" in response.json()["detail"]
    assert response.json()["type"] == "urn:vern:problem:four-eyes"
    stored = (await client.get(f"/dsar/requests/{created['id']}", headers=handler)).json()
    assert (stored["status"], stored["approval"]) == ("awaiting_approval", None)


async def test_the_staff_member_who_registered_an_erasure_cannot_approve_it(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    registrar = auth.staff("manager", sub=SECOND)
    created = await file_request(client, registrar, type="erasure", **STAFF_BODY)
    await move(client, created["id"], auth.staff("manager", sub=HANDLER), "in_progress")
    await move(client, created["id"], auth.staff("manager", sub=HANDLER), "awaiting_approval")
    assert (await move(client, created["id"], registrar, "approved")).status_code == 403


async def test_an_erasure_cannot_be_approved_before_it_was_handled(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    response = await move(client, created["id"], auth.staff("dpo", sub=SECOND), "approved")
    assert response.status_code == 409
    assert "awaiting_approval" in response.json()["detail"]
    assert response.json()["type"] == "urn:vern:problem:approval-not-awaited"


@pytest.mark.parametrize("kind", ["access", "rectification", "restriction", "objection"])
async def test_only_erasures_go_through_approval(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile, kind: str
) -> None:
    body = {**STAFF_BODY, "channel": "letter_email"}
    body.pop("identity_check")
    extra = {"corrections": {"email": "ny@example.org"}} if kind == "rectification" else {}
    created = await file_request(client, auth.staff("manager"), type=kind, **body, **extra)
    handler = auth.staff("manager", sub=HANDLER)
    await move(client, created["id"], handler, "identity_verified", identity_check="id_document")
    if kind != "access":  # an access request is answered on verification
        assert (await move(client, created["id"], handler, "in_progress")).status_code == 200
        response = await move(client, created["id"], handler, "awaiting_approval")
        assert response.status_code == 409
        assert response.json()["type"] == "urn:vern:problem:approval-only-erasure"
        if kind == "rectification":  # carried out as tasks: completed with the last one
            assert (await finish_tasks(client, created["id"], handler))["status"] == "completed"
        else:
            assert (await move(client, created["id"], handler, "completed")).status_code == 200


async def test_nok_bergen_grants_an_erasure_at_once_when_identity_is_proven(
    client: httpx.AsyncClient, auth: Tokens, nokbergen: OrgProfile, db_session: Session
) -> None:
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    assert created["status"] == "approved"
    assert created["approval"]["kind"] == "automatic"
    assert created["approval"]["approved_by"] is None
    reasons = db_session.exec(
        select(AuditEvent.reason)
        .where(AuditEvent.subject_id == created["id"])
        .where(AuditEvent.action == "data_request.transition")
        .order_by(col(AuditEvent.id))
    ).all()
    assert reasons == [
        "received -> identity_verified",
        "identity_verified -> approved (automatic)",
    ]
    early = await move(client, created["id"], auth.staff("manager"), "completed")
    assert early.status_code == 409
    assert early.json()["type"] == "urn:vern:problem:tasks-open"
    # Open: the outside systems holding clients' data (not payroll nor the personnel archive).
    assert early.json()["detail"].endswith(
        "while tasks are open: email, google_workspace, paper_archive, sms"
    )
    done = await finish_tasks(client, created["id"], auth.staff("manager"))
    assert done["status"] == "completed"


async def test_nok_bergen_grants_a_clients_own_erasure_at_once(
    client: httpx.AsyncClient, auth: Tokens, nokbergen: OrgProfile
) -> None:
    created = await file_request(client, auth.client(SOLVEIG["national_id"]), type="erasure")
    assert (created["status"], created["identity_check"]) == ("approved", "bankid_login")


async def test_nok_bergen_grants_an_erasure_by_letter_only_once_identity_is_checked(
    client: httpx.AsyncClient, auth: Tokens, nokbergen: OrgProfile
) -> None:
    body = {**STAFF_BODY, "channel": "letter_email"}
    body.pop("identity_check")
    created = await file_request(client, auth.staff("coordinator"), type="erasure", **body)
    assert (created["status"], created["approval"], created["identity_check"]) == (
        "received",
        None,
        None,
    )
    handler = auth.staff("manager")
    early = await move(client, created["id"], handler, "completed")
    assert early.status_code == 409
    verified = await move(
        client, created["id"], handler, "identity_verified", identity_check="bankid_in_person"
    )
    assert verified.json()["status"] == "approved"
    assert verified.json()["identity_check"] == "bankid_in_person"


async def test_tryggere_does_not_approve_an_erasure_by_itself(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    created = await file_request(client, auth.client(SOLVEIG["national_id"]), type="erasure")
    assert (created["status"], created["approval"]) == ("identity_verified", None)


async def test_verifying_identity_needs_to_say_how(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    body = {**STAFF_BODY, "channel": "letter_email"}
    body.pop("identity_check")
    created = await file_request(client, auth.staff("manager"), type="objection", **body)
    response = await move(client, created["id"], auth.staff("manager"), "identity_verified")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["identity_check"]


async def test_a_letter_asking_for_access_is_answered_once_identity_is_checked(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    services.registry.hold(str(uuid.uuid4()), **SOLVEIG)
    body = {**STAFF_BODY, "channel": "letter_email"}
    body.pop("identity_check")
    created = await file_request(client, auth.staff("coordinator"), type="access", **body)
    assert created["status"] == "received"
    assert services.registry.calls == []
    verified = await move(
        client, created["id"], auth.staff("dpo"), "identity_verified", identity_check="id_document"
    )
    assert verified.json()["status"] == "in_progress"  # the outside systems' tasks are open
    services_done = {t["target"]: t["status"] for t in verified.json()["tasks"]}
    assert services_done["registry"] == services_done["consent"] == "done"
    package = await client.get(f"/dsar/requests/{created['id']}/package", headers=auth.staff("dpo"))
    assert package.status_code == 200


async def test_a_failed_call_is_made_again_on_retry_and_the_package_then_assembled(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    services.registry.fail_with = 503
    created = await file_request(client, auth.staff("manager"), type="access", **STAFF_BODY)
    registry = next(t for t in created["tasks"] if t["target"] == "registry")
    assert (registry["status"], registry["error"]) == (
        "failed",
        "registry subjects/search: HTTP 503",
    )
    services.registry.fail_with = None
    retried = await client.post(
        f"/dsar/requests/{created['id']}/tasks/retry", headers=auth.staff("manager")
    )
    tasks = {t["target"]: t for t in retried.json()["tasks"]}
    assert (tasks["registry"]["status"], tasks["registry"]["error"]) == ("done", None)
    assert tasks["consent"]["status"] == "done"
    package = await client.get(
        f"/dsar/requests/{created['id']}/package", headers=auth.staff("manager")
    )
    assert package.status_code == 200


@pytest.mark.parametrize(
    "reason", ["manifestly_unfounded", "excessive", "identity_not_proven", "legal_obligation"]
)
async def test_a_rejection_records_its_reason(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, reason: str
) -> None:
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    response = await move(
        client, created["id"], auth.staff("dpo"), "rejected", rejection_reason=reason
    )
    assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", reason)


async def test_a_rejection_without_a_reason_is_422_and_changes_nothing(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    response = await move(client, created["id"], auth.staff("dpo"), "rejected")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["rejection_reason"]
    stored = await client.get(f"/dsar/requests/{created['id']}", headers=auth.staff("dpo"))
    assert stored.json()["status"] == "identity_verified"


async def test_a_reason_for_anything_but_a_rejection_is_422(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    response = await move(
        client, created["id"], auth.staff("dpo"), "withdrawn", rejection_reason="excessive"
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["rejection_reason"]


async def test_a_rectification_carries_its_corrections_encrypted_at_rest(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    corrections = {"phone": "+4791234567", "address": "Strandgaten 12, 5013 Bergen"}
    created = await file_request(
        client,
        auth.client(SOLVEIG["national_id"]),
        type="rectification",
        corrections=corrections,
    )
    assert created["corrections"] == corrections
    stored = await client.get(f"/dsar/requests/{created['id']}", headers=auth.staff("manager"))
    assert stored.json()["corrections"] == corrections
    dump = repr(db_session.execute(text("SELECT * FROM data_request")).all())
    for plaintext in ("91234567", "Strandgaten", "Bergen", "phone", "address"):
        assert plaintext not in dump


async def test_a_counsellor_registers_a_request_for_their_client_and_sees_only_that(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    counsellor = auth.staff("counsellor", sub=COUNSELLOR)
    created = await file_request(client, counsellor, type="objection", **STAFF_BODY)
    assert (created["registered_by"], created["handler"]) == (COUNSELLOR, None)
    assert created["subject"]["name"] == STAFF_BODY["name"]
    assert (await move(client, created["id"], counsellor, "in_progress")).status_code == 403


def test_the_transition_answers_document_their_problem_types(vern_app: FastAPI) -> None:
    paths = vern_app.openapi()["paths"]
    transition = paths["/dsar/requests/{request_id}/transitions"]["post"]["responses"]
    done = paths["/dsar/requests/{request_id}/tasks/{task_id}/done"]["post"]["responses"]
    for kind in TRANSITION_PROBLEMS:
        assert kind.uri in transition[str(kind.status)]["description"]
    for kind in TASK_DONE_PROBLEMS:
        assert kind.uri in done["409"]["description"]

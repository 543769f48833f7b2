"""An erasure or access request carried out as one durable task per store: the Vern services
through their internal contract, the journal vendor by signed webhook and callback, each outside
system as a manual task; failed calls kept with their error and retried without redoing what is
done."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from vern.dsar.requests.models import DataRequest, RequestType
from vern.dsar.tasks.models import TaskKind
from vern.dsar.tasks.service import PUBLIC_SUBJECTS, plan
from vern.kit.orgprofile import OrgProfile
from vern.kit.orgprofile.vocabulary import DataSubject
from vern.kit.testing.tokens import Tokens

from ..conftest import SOLVEIG
from ..fakes import Peers
from ..requests.conftest import STAFF_BODY, VENDOR_ANSWER, Clock, file_request, finish_tasks, move

pytestmark = pytest.mark.anyio

REGISTRY_ID = str(uuid.uuid4())
CONSENT_ID = str(uuid.uuid4())
HANDLER, SECOND = "manager-1", "dpo-1"


def hold_solveig(services: Peers) -> None:
    services.registry.hold(REGISTRY_ID, **SOLVEIG)
    services.consent.hold(CONSENT_ID, email=SOLVEIG["email"])


async def approved_erasure(client: httpx.AsyncClient, auth: Tokens) -> dict[str, Any]:
    """A Tryggere erasure handled and approved by a second person."""
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    handler, second = auth.staff("manager", sub=HANDLER), auth.staff("dpo", sub=SECOND)
    for headers, status in [
        (handler, "in_progress"),
        (handler, "awaiting_approval"),
        (second, "approved"),
    ]:
        response = await move(client, created["id"], headers, status)
        assert response.status_code == 200, response.text
    approved: dict[str, Any] = response.json()
    return approved


def by_target(read: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {task["target"]: task for task in read["tasks"]}


# Tryggere's outside systems that hold data about the public; Google Analytics holds only
# de-identified website visitors, so a data request has nothing to find there.
TRYGGERE_MANUAL = {"paper_archive", "website", "checkin", "confrere", "tripletex", "phone", "email"}
# Nok. Bergen's: not the personnel archive nor payroll (employees only), nor the website's server
# logs and Google Analytics (website visitors only).
NOKBERGEN_MANUAL = {"google_workspace", "paper_archive", "sms", "email"}


async def test_an_approved_erasure_has_one_task_per_store_of_the_profile(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    hold_solveig(services)
    approved = await approved_erasure(client, auth)
    tasks = by_target(approved)
    assert set(tasks) == {"registry", "consent", "aspit_journal", *TRYGGERE_MANUAL}
    assert tasks["registry"]["kind"] == tasks["consent"]["kind"] == "service"
    assert tasks["aspit_journal"]["kind"] == "vendor"
    manual = {t for t, task in tasks.items() if task["kind"] == "manual"}
    assert manual == TRYGGERE_MANUAL
    for target in manual:
        task = tasks[target]
        assert task["owner_role"] == "manager"
        assert task["due_date"] == approved["due_date"]
        assert task["checklist"]
        assert task["status"] == "pending"
        assert task["name"] == tryggere.outside_systems[target].name
    # Invoices stay by law: the accounting system's checklist says which and why.
    assert any("bokføringsloven § 13" in step for step in tasks["tripletex"]["checklist"])
    assert not any("bokføringsloven" in step for step in tasks["phone"]["checklist"])
    # Each checklist opens with what the system holds about the public, by activity.
    assert tasks["tripletex"]["checklist"][0] == (
        "Tripletex regnskapssystem (føres av Flexi AS) har opplysninger fra: Regnskap og revisjon."
    )
    assert approved["status"] == "approved"  # open tasks: not completed yet
    assert approved["open_tasks"] == len(manual) + 1  # and the vendor's answer


async def test_nothing_is_planned_or_erased_before_the_erasure_is_approved(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    hold_solveig(services)
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    handler = auth.staff("manager", sub=HANDLER)
    await move(client, created["id"], handler, "in_progress")
    waiting = await move(client, created["id"], handler, "awaiting_approval")
    assert waiting.json()["tasks"] == []
    assert services.registry.bodies("/subjects/erase") == []


async def test_the_services_erase_by_request_id_and_the_vendor_gets_a_signed_webhook(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    hold_solveig(services)
    approved = await approved_erasure(client, auth)
    assert services.registry.bodies("/subjects/erase") == [
        {"request_id": approved["id"], "subject_ids": [REGISTRY_ID]}
    ]
    [consent_search] = services.consent.bodies("/subjects/search")
    assert consent_search["identifiers"]["subject_refs"] == [REGISTRY_ID]
    assert consent_search["identifiers"]["national_id"] is None
    assert services.consent.bodies("/subjects/erase") == [
        {"request_id": approved["id"], "subject_ids": [CONSENT_ID]}
    ]
    assert services.vendor is not None
    [event] = services.vendor.events
    task = by_target(approved)["aspit_journal"]
    assert event["type"] == "subject.erasure_requested"
    assert event["data"]["client_ids"] == [REGISTRY_ID]
    assert event["data"]["callback_path"] == f"/dsar/vendor/tasks/{task['id']}/result"
    assert services.vendor.webhook_ids == [task["id"]]
    assert task["status"] == "awaiting_vendor"
    for value in SOLVEIG.values():
        assert value not in repr(event)


async def test_an_erasure_completes_with_its_last_task_and_its_identifiers_are_shredded(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    hold_solveig(services)
    approved = await approved_erasure(client, auth)
    handler = auth.staff("manager", sub=HANDLER)
    vendor = auth.machine("journal", client_id="journal-vendor")
    done = await finish_tasks(client, approved["id"], handler, vendor)
    assert (done["status"], done["open_tasks"], done["identifiers_shredded"]) == (
        "completed",
        0,
        True,
    )
    assert all(task["note"] is None for task in done["tasks"])  # shredded with the key
    assert {task["done_by"] for task in done["tasks"] if task["kind"] == "manual"} == {HANDLER}
    assert by_target(done)["aspit_journal"]["done_by"] == "journal-vendor"
    assert services.registry.subjects == services.consent.subjects == {}


async def test_a_request_cannot_be_completed_while_a_task_is_open(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, nokbergen: OrgProfile
) -> None:
    created = await file_request(client, auth.client(SOLVEIG["national_id"]), type="erasure")
    assert created["status"] == "approved"
    one_left = created["tasks"][-1]
    manager = auth.staff("manager")
    for task in created["tasks"]:
        if task["kind"] == "manual" and task["id"] != one_left["id"]:
            await client.post(
                f"/dsar/requests/{created['id']}/tasks/{task['id']}/done",
                json={"note": "Ingenting funnet."},
                headers=manager,
            )
    refused = await move(client, created["id"], manager, "completed")
    assert refused.status_code == 409
    assert refused.json()["detail"].endswith(f"tasks are open: {one_left['target']}")
    last = await client.post(
        f"/dsar/requests/{created['id']}/tasks/{one_left['id']}/done",
        json={"note": "Slettet."},
        headers=manager,
    )
    assert last.json()["status"] == "completed"


async def test_a_failed_call_is_kept_with_its_error_and_retried_without_redoing_done_tasks(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    hold_solveig(services)
    services.consent.unreachable = True
    approved = await approved_erasure(client, auth)
    tasks = by_target(approved)
    assert tasks["registry"]["status"] == "done"
    assert (tasks["consent"]["status"], tasks["consent"]["error"]) == (
        "failed",
        "consent subjects/search: ConnectError",
    )
    assert tasks["consent"]["error_kind"] == "unreachable"
    assert tasks["consent"]["attempts"] == 1
    services.consent.unreachable = False
    retried = await client.post(
        f"/dsar/requests/{approved['id']}/tasks/retry", headers=auth.staff("manager")
    )
    tasks = by_target(retried.json())
    assert (tasks["consent"]["status"], tasks["consent"]["error"]) == ("done", None)
    assert (tasks["consent"]["error_kind"], tasks["consent"]["error_status"]) == (None, None)
    assert tasks["consent"]["attempts"] == 2
    assert len(services.registry.bodies("/subjects/erase")) == 1
    assert len(services.registry.bodies("/subjects/search")) == 1
    assert len(services.consent.bodies("/subjects/erase")) == 1


async def test_the_scheduler_redelivers_a_failed_call_once_its_backoff_has_passed(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
    clock: Clock,
) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock.set(start)
    hold_solveig(services)
    services.consent.fail_with = 503
    approved = await approved_erasure(client, auth)
    services.consent.fail_with = None
    scheduler = auth.machine("dsar:internal", client_id="vern-scheduler")
    early = await client.post("/dsar/internal/outbox/deliver", headers=scheduler)
    assert early.json() == {"delivered": 0, "failed": 0, "dropped": 0}
    clock.set(start + timedelta(seconds=3))  # the first backoff is two seconds
    due = await client.post("/dsar/internal/outbox/deliver", headers=scheduler)
    assert due.json() == {"delivered": 1, "failed": 0, "dropped": 0}
    read = await client.get(f"/dsar/requests/{approved['id']}", headers=auth.staff("dpo"))
    assert by_target(read.json())["consent"]["status"] == "done"
    again = await client.post("/dsar/internal/outbox/deliver", headers=scheduler)
    assert again.json()["delivered"] == 0
    assert len(services.consent.bodies("/subjects/erase")) == 1


async def test_redelivery_is_for_the_scheduler_only(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.post("/dsar/internal/outbox/deliver", headers=auth.staff("manager"))
    assert response.status_code == 403


async def test_the_vendor_webhook_keeps_its_id_on_every_attempt(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    hold_solveig(services)
    assert services.vendor is not None
    services.vendor.fail_with = 500
    approved = await approved_erasure(client, auth)
    task = by_target(approved)["aspit_journal"]
    assert (task["status"], task["error"]) == ("failed", "aspit_journal webhook: HTTP 500")
    assert (task["error_kind"], task["error_status"]) == ("server_error", 500)
    services.vendor.fail_with = None
    retried = await client.post(
        f"/dsar/requests/{approved['id']}/tasks/retry", headers=auth.staff("manager")
    )
    assert by_target(retried.json())["aspit_journal"]["status"] == "awaiting_vendor"
    assert services.vendor.webhook_ids == [task["id"], task["id"]]
    assert len(services.vendor.events) == 1


async def test_the_vendor_answers_once_with_its_journal_scope_only(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    hold_solveig(services)
    approved = await approved_erasure(client, auth)
    task = by_target(approved)["aspit_journal"]
    path = f"/dsar/vendor/tasks/{task['id']}/result"
    wrong = auth.machine("dsar:internal")
    assert (await client.post(path, json=VENDOR_ANSWER, headers=wrong)).status_code == 403
    vendor = auth.machine("journal", client_id="journal-vendor")
    assert (await client.post(path, json=VENDOR_ANSWER, headers=vendor)).status_code == 204
    assert (await client.post(path, json={"erased": []}, headers=vendor)).status_code == 204
    read = await client.get(f"/dsar/requests/{approved['id']}", headers=auth.staff("dpo"))
    assert by_target(read.json())["aspit_journal"]["status"] == "done"
    unknown = f"/dsar/vendor/tasks/{uuid.uuid4()}/result"
    assert (await client.post(unknown, json=VENDOR_ANSWER, headers=vendor)).status_code == 404


async def test_a_centre_without_a_journal_vendor_has_no_vendor_endpoint_or_task(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, nokbergen: OrgProfile
) -> None:
    hold_solveig(services)
    created = await file_request(client, auth.client(SOLVEIG["national_id"]), type="erasure")
    assert all(task["kind"] != "vendor" for task in created["tasks"])
    vendor = auth.machine("journal", client_id="journal-vendor")
    path = f"/dsar/vendor/tasks/{created['tasks'][0]['id']}/result"
    assert (await client.post(path, json=VENDOR_ANSWER, headers=vendor)).status_code == 404


async def test_a_client_never_in_the_registry_is_not_sent_to_the_vendor(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    approved = await approved_erasure(client, auth)
    assert by_target(approved)["aspit_journal"]["status"] == "done"
    assert services.vendor is not None
    assert services.vendor.webhook_ids == []


async def test_only_handlers_mark_manual_tasks_done_and_only_once(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    approved = await approved_erasure(client, auth)
    tasks = by_target(approved)
    base = f"/dsar/requests/{approved['id']}/tasks"
    note = {"note": "Ingenting funnet."}
    counsellor = auth.staff("counsellor")
    assert (
        await client.post(f"{base}/{tasks['phone']['id']}/done", json=note, headers=counsellor)
    ).status_code == 403
    manager = auth.staff("manager")
    call = await client.post(f"{base}/{tasks['registry']['id']}/done", json=note, headers=manager)
    assert call.status_code == 409
    assert call.json()["type"] == "urn:vern:problem:task-not-manual"
    first = await client.post(f"{base}/{tasks['phone']['id']}/done", json=note, headers=manager)
    assert by_target(first.json())["phone"]["note"] == "Ingenting funnet."
    again = await client.post(f"{base}/{tasks['phone']['id']}/done", json=note, headers=manager)
    assert again.status_code == 409
    assert again.json()["type"] == "urn:vern:problem:task-already-done"
    other = await client.post(f"{base}/{uuid.uuid4()}/done", json=note, headers=manager)
    assert other.status_code == 404


async def test_an_access_package_is_assembled_once_the_services_have_exported(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    hold_solveig(services)
    services.consent.fail_with = 503
    created = await file_request(client, auth.staff("manager"), type="access", **STAFF_BODY)
    dpo = auth.staff("dpo")
    path = f"/dsar/requests/{created['id']}/package"
    assert (await client.get(path, headers=dpo)).status_code == 404
    services.consent.fail_with = None
    await client.post(f"/dsar/requests/{created['id']}/tasks/retry", headers=dpo)
    package = (await client.get(path, headers=dpo)).json()
    assert set(package["services"]) == {"registry", "consent"}
    assert all(t["operation"] == "export" for t in created["tasks"])
    assert services.registry.bodies("/subjects/erase") == []


async def test_task_notes_and_results_are_sealed_at_rest(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    hold_solveig(services)
    created = await file_request(client, auth.staff("manager"), type="access", **STAFF_BODY)
    phone = by_target(created)["phone"]
    await client.post(
        f"/dsar/requests/{created['id']}/tasks/{phone['id']}/done",
        json={"note": f"Fant {SOLVEIG['email']} i loggen."},
        headers=auth.staff("manager"),
    )
    dump = repr(db_session.execute(text("SELECT * FROM request_task")).all())
    for plaintext in (*SOLVEIG.values(), "Testformål", "loggen"):
        assert plaintext not in dump


@pytest.mark.parametrize(
    ("profile_name", "expected"),
    [("tryggere", {"aspit_journal", *TRYGGERE_MANUAL}), ("nokbergen", NOKBERGEN_MANUAL)],
)
@pytest.mark.parametrize("request_type", [RequestType.erasure, RequestType.access])
def test_manual_tasks_only_for_outside_systems_holding_the_public(
    request: pytest.FixtureRequest,
    profile_name: str,
    expected: set[str],
    request_type: RequestType,
) -> None:
    profile: OrgProfile = request.getfixturevalue(profile_name)
    data_request = DataRequest(type=request_type)
    planned = plan(profile=profile, data_request=data_request, now=datetime.now(UTC))
    # The journal vendor answers an erasure itself; an access to it is staff's task.
    outside = {task.target for task in planned if task.kind is not TaskKind.service}
    assert outside == expected
    staff_only = [
        activity.name_nb
        for activity in profile.processing_activities.values()
        if not PUBLIC_SUBJECTS.intersection(activity.data_subjects)
    ]
    for task in planned:
        if task.kind is TaskKind.manual:
            steps = json.loads(task.checklist or "[]")
            assert steps[0].startswith(f"{profile.outside_systems[task.target].name} har ")
            # Staff records are not named: a client's request does not reach them.
            assert not any(name in steps[0] for name in staff_only)
    # Every system left out holds staff or de-identified visitors only.
    for system_id in set(profile.outside_systems) - {task.target for task in planned}:
        kinds = {
            kind
            for activity in profile.processing_activities.values()
            if any(getattr(p, "outside_system", None) == system_id for p in activity.stored_in)
            for kind in activity.data_subjects
        }
        assert kinds
        assert not kinds & PUBLIC_SUBJECTS, (system_id, kinds)
        assert kinds & {
            DataSubject.employees,
            DataSubject.associates,
            DataSubject.job_applicants,
            DataSubject.website_visitors,
        }


async def test_an_erasure_whose_answer_was_lost_still_names_the_client_and_tells_the_vendor(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    """The registry erases, but its answer never reaches dsar (dsar killed, or the connection
    lost and the registry gone for the call's retries): the retried task must still record the
    client as erased there, and the journal vendor must still be told to erase the journal."""
    hold_solveig(services)
    registry = services.registry
    answer, lost = registry.handle, []

    def answer_lost(request: httpx.Request) -> httpx.Response:
        response = answer(request)
        if request.url.path.endswith("/subjects/erase") and not lost:
            lost.append(request)
            registry.unreachable = True  # gone for the rest of the call's retries
            raise httpx.ReadError("connection lost", request=request)
        return response

    registry.handle = answer_lost  # type: ignore[method-assign]
    approved = await approved_erasure(client, auth)
    assert by_target(approved)["registry"]["status"] == "failed"
    assert REGISTRY_ID not in registry.subjects  # erased all the same
    registry.unreachable = False
    retried = await client.post(
        f"/dsar/requests/{approved['id']}/tasks/retry", headers=auth.staff("manager")
    )
    assert by_target(retried.json())["registry"]["status"] == "done"
    assert services.vendor is not None
    assert [e["data"]["client_ids"] for e in services.vendor.events] == [[REGISTRY_ID]]

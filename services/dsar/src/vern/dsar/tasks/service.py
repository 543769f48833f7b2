"""Orchestration of a data request as durable tasks: one per target (each Vern service holding
data, the journal vendor, each outside system of the org profile).

A service task calls the service's internal contract (search, then export or erase; the erase is
idempotent per request id there). The vendor task sends the journal vendor a signed webhook whose
`webhook-id` is the task id, the same on every attempt, and waits for the vendor's answer through
`POST /dsar/vendor/tasks/{id}/result`. A manual task is an outside system's part, done by staff
with a checklist and marked done with a note. A call that fails is kept with its error (status
codes only) and retried with backoff by the scheduler's redelivery, or at once on request; a task
once done is never run again. This module plans the tasks, makes one call and records its
outcome; `vern.dsar.tasks.runner` claims the calls and makes them after dsar's commit.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from vern.dsar import problems
from vern.dsar.receipts.signing import ReceiptSigner
from vern.dsar.requests import orchestration
from vern.dsar.requests.models import DataRequest, RequestType
from vern.dsar.tasks.models import (
    OPEN,
    CallErrorKind,
    RequestTask,
    TaskKind,
    TaskOperation,
    TaskStatus,
)
from vern.dsar.tasks.repository import TaskProgress
from vern.dsar.tasks.schemas import (
    ErasureRequested,
    ErasureRequestedData,
    TaskDone,
    TaskRead,
    VendorResult,
)
from vern.kit.auth import Principal
from vern.kit.contract import (
    ErasedItem,
    ErasureReceipt,
    ExportResult,
    KeptItem,
    SubjectIdentifiers,
)
from vern.kit.crypto import Vault
from vern.kit.errors import Conflict, NotFound
from vern.kit.http import ServiceClient
from vern.kit.logging import get_logger
from vern.kit.orgprofile import OrgProfile
from vern.kit.orgprofile.schema import LegalHold, OutsideStore, ProcessingActivity
from vern.kit.orgprofile.vocabulary import DataSubject, Module, OutsideSystemKind
from vern.kit.outbox import Deliverer

log = get_logger(__name__)

REGISTRY = "registry"
CONSENT = "consent"
MAX_BACKOFF = timedelta(hours=1)
# A task's call is at most two requests to the store (search, then export or erase).
_REQUESTS_PER_CALL = 2
# The kit's client waits at most this long between two attempts of one request.
_MAX_RETRY_WAIT = timedelta(seconds=3)
_LEASE_MARGIN = timedelta(seconds=10)
SERVICE_NAMES = {REGISTRY: "Klientregisteret (Vern)", CONSENT: "Samtykker og nyhetsbrev (Vern)"}
# The kinds of data subject a data request from a member of the public can reach: everyone the
# centre meets as a client, relative, participant, subscriber, caller or correspondent. Left out:
# staff (employees, associates, job applicants), whose records a client's request never touches,
# and website visitors, whom both notices describe as de-identified (Art. 11: they can not be
# found by the name, national id or email a request carries). dsar takes requests from the
# public only, so every request reaches these kinds.
PUBLIC_SUBJECTS = frozenset(
    {
        DataSubject.clients,
        DataSubject.client_partners,
        DataSubject.guardians,
        DataSubject.waitlist_applicants,
        DataSubject.activity_participants,
        DataSubject.newsletter_subscribers,
        DataSubject.callers,
        DataSubject.correspondents,
        DataSubject.cooperation_partners,
        DataSubject.visitors,
        DataSubject.survey_respondents,
    }
)
_OPERATIONS = {
    RequestType.access: TaskOperation.export,
    RequestType.erasure: TaskOperation.erase,
    RequestType.rectification: TaskOperation.rectify,
}


def claim_lease(*, timeout_seconds: float, retries: int) -> timedelta:
    """How long a claimed call stays away from other runs: as long as a call may take with every
    retry of the kit's client (`http_timeout_seconds`, `http_retries`), and a margin. A run that
    died is replaced once it has passed; a call that outlasts it may be made twice, which the
    stores' idempotency per request absorbs (and only the later attempt is recorded)."""
    per_request = retries * (timedelta(seconds=timeout_seconds) + _MAX_RETRY_WAIT)
    return _REQUESTS_PER_CALL * per_request + _LEASE_MARGIN


# With the kit's default timeout (5 s) and retries (3): about a minute.
CLAIM_LEASE = claim_lease(timeout_seconds=5.0, retries=3)


@dataclass(frozen=True)
class Targets:
    """Where calls go: the Vern services' clients, and the journal vendor's webhook (if any);
    the signer of the receipt a completed erasure gets; and how long a claimed call is leased."""

    services: Mapping[str, ServiceClient]
    vendor: Deliverer | None
    signer: ReceiptSigner | None = None
    lease: timedelta = CLAIM_LEASE


@dataclass(frozen=True)
class Identifiers:
    """The request's identifiers, unsealed for the calls of one run."""

    national_id: str | None
    email: str | None


@dataclass(frozen=True)
class ClaimedCall:
    """One call claimed for an attempt, as plain values: it is made with no database session
    in use, and its outcome is recorded only if the task is still claimed for that attempt."""

    task_id: uuid.UUID
    request_id: uuid.UUID
    target: str
    kind: TaskKind
    operation: TaskOperation
    attempt: int
    found_before: list[str]  # the subject ids the task this one depends on found


@dataclass(frozen=True)
class CallOutcome:
    """What a call came to: `done` with the store's answer, `awaiting_vendor` once the vendor
    was told, or `failed` with its error (status codes and exception classes only)."""

    status: TaskStatus
    result: dict[str, Any] | None = None
    failure: orchestration.CallFailed | None = None


def is_planned(request_type: RequestType) -> bool:
    """Whether a request of this type is carried out as tasks."""
    return request_type in _OPERATIONS


def plan(*, profile: OrgProfile, data_request: DataRequest, now: datetime) -> list[RequestTask]:
    """One task per target for an access, erasure or rectification request."""
    operation = _OPERATIONS[data_request.type]

    def task(target: str, kind: TaskKind, **fields: Any) -> RequestTask:
        automatic = kind is not TaskKind.manual
        return RequestTask(
            request_id=data_request.id,
            target=target,
            kind=kind,
            operation=operation,
            status=TaskStatus.pending,
            created_at=now,
            next_attempt_at=now if automatic else None,
            **fields,
        )

    tasks: list[RequestTask] = []
    if operation is TaskOperation.rectify:
        # The registry keeps the client's record; staff correct it there (PATCH on the person).
        steps = _checklist(operation, SERVICE_NAMES[REGISTRY], [], [])
        tasks.append(task(REGISTRY, TaskKind.manual, owner_role="manager", checklist=steps))
    else:
        tasks.append(task(REGISTRY, TaskKind.service))
        tasks.append(task(CONSENT, TaskKind.service, depends_on=REGISTRY))
    for system_id, system in profile.outside_systems.items():
        held = held_for_requester(profile, system_id)
        if not held:
            continue  # nothing there about anyone a data request can come from
        if (
            operation is TaskOperation.erase
            and system.kind is OutsideSystemKind.journal_vendor
            and profile.modules.is_on(Module.journal_vendor)
        ):
            tasks.append(task(system_id, TaskKind.vendor, depends_on=REGISTRY))
            continue
        steps = _checklist(operation, system.name, legal_holds(profile, system_id), held)
        tasks.append(
            task(system_id, TaskKind.manual, owner_role=system.owner_role.value, checklist=steps)
        )
    return tasks


def held_for_requester(profile: OrgProfile, system_id: str) -> list[ProcessingActivity]:
    """The profile's activities stored in an outside system that hold data about the kinds of
    subject a data request can come from (`PUBLIC_SUBJECTS`)."""
    return [
        activity
        for activity in profile.processing_activities.values()
        if PUBLIC_SUBJECTS.intersection(activity.data_subjects)
        and any(
            isinstance(place, OutsideStore) and place.outside_system == system_id
            for place in activity.stored_in
        )
    ]


def legal_holds(profile: OrgProfile, system_id: str) -> list[KeptItem]:
    """What an outside system must keep by law of a requester's data: the activities stored
    there about them whose retention rule names a legal hold (e.g. invoices under
    bokføringsloven)."""
    kept: list[KeptItem] = []
    for activity in held_for_requester(profile, system_id):
        rule = profile.retention_rules.get(activity.retention_rule)
        if rule is None:
            continue
        for enforcer in rule.enforced_by:
            if isinstance(enforcer, LegalHold):
                item = KeptItem(
                    category=activity.retention_rule, reason=rule.what_nb, law=enforcer.legal_hold
                )
                if item not in kept:
                    kept.append(item)
    return kept


def _checklist(
    operation: TaskOperation,
    name: str,
    holds: list[KeptItem],
    held: Sequence[ProcessingActivity],
) -> str:
    steps = _steps(operation, name, holds)
    if held:
        what = ", ".join(activity.name_nb for activity in held)
        steps.insert(0, f"{name} har opplysninger fra: {what}.")
    return json.dumps(steps, ensure_ascii=False)


def _steps(operation: TaskOperation, name: str, holds: list[KeptItem]) -> list[str]:
    if operation is TaskOperation.export:
        steps = [
            f"Søk etter personen i {name}.",
            "Lag en kopi av alt som finnes om personen, og legg den ved svaret.",
            "Noter hva som ble funnet (eller at ingenting ble funnet) og merk oppgaven som utført.",
        ]
    elif operation is TaskOperation.erase:
        steps = [f"Søk etter personen i {name}.", "Slett alt om personen som ikke må beholdes."]
        steps += [f"Behold {hold.reason.rstrip('.')} ({hold.law})." for hold in holds]
        steps.append(
            "Noter hva som ble slettet og hva som ble beholdt, og merk oppgaven som utført."
        )
    else:
        steps = [
            f"Finn personen i {name}.",
            "Rett opplysningene slik kravet sier.",
            "Noter hva som ble rettet og merk oppgaven som utført.",
        ]
    return steps


def is_open(task: RequestTask) -> bool:
    return task.status in OPEN


def open_targets(tasks: Sequence[RequestTask]) -> list[str]:
    return [task.target for task in tasks if is_open(task)]


def due_calls(tasks: Sequence[RequestTask], now: datetime) -> list[RequestTask]:
    """The request's calls whose time has come (pending or failed, past their backoff or an
    abandoned claim's lease) and whose task they depend on is done, the independent ones first."""
    by_target = {task.target: task for task in tasks}
    due: list[RequestTask] = []
    for task in _in_order(tasks):
        if task.kind is TaskKind.manual or task.status not in (
            TaskStatus.pending,
            TaskStatus.failed,
        ):
            continue
        if task.next_attempt_at is None or task.next_attempt_at > now:
            continue
        dependency = by_target.get(task.depends_on) if task.depends_on else None
        if dependency is not None and dependency.status is not TaskStatus.done:
            continue  # runs once the task it needs is done
        due.append(task)
    return due


def claimed(
    vault: Vault, task: RequestTask, tasks: Sequence[RequestTask], attempt: int
) -> ClaimedCall:
    """A task just claimed for its `attempt`-th call, as plain values for the call."""
    dependency = next((t for t in tasks if t.target == task.depends_on), None)
    found_before = result_of(vault, dependency).get("subject_ids", []) if dependency else []
    return ClaimedCall(
        task_id=task.id,
        request_id=task.request_id,
        target=task.target,
        kind=task.kind,
        operation=task.operation,
        attempt=attempt,
        found_before=list(found_before),
    )


def _in_order(tasks: Sequence[RequestTask]) -> list[RequestTask]:
    """Tasks without a dependency first, so that one run reaches the tasks depending on them."""
    return sorted(tasks, key=lambda task: task.depends_on is not None)


def identifiers_of(vault: Vault, data_request: DataRequest) -> Identifiers:
    """The request's identifiers, unsealed for the calls of one run."""
    key = str(data_request.id)
    return Identifiers(
        national_id=vault.decrypt(
            key, data_request.national_id_ct, context="data_request.national_id"
        ),
        email=vault.decrypt(key, data_request.email_ct, context="data_request.email"),
    )


def make_call(
    targets: Targets, call: ClaimedCall, identifiers: Identifiers, now: datetime
) -> CallOutcome:
    """Makes one claimed call (with no database transaction open: the caller holds none) and
    says what it came to."""
    try:
        if call.kind is TaskKind.vendor:
            return _tell_vendor(targets, call, now)
        return _call_service(targets, call, identifiers)
    except orchestration.CallFailed as exc:
        return CallOutcome(status=TaskStatus.failed, failure=exc)


def _call_service(targets: Targets, call: ClaimedCall, identifiers: Identifiers) -> CallOutcome:
    client = targets.services.get(call.target)
    if client is None:
        raise orchestration.CallFailed(
            f"{call.target}: not configured", CallErrorKind.not_configured
        )
    search = SubjectIdentifiers(
        national_id=identifiers.national_id if call.target == REGISTRY else None,
        email=identifiers.email,
        subject_refs=call.found_before,
    )
    subject_ids = orchestration.search(client, call.target, search)
    result: dict[str, Any] = {"subject_ids": subject_ids}
    if call.operation is TaskOperation.export:
        exported = orchestration.export(client, call.target, call.request_id, subject_ids)
        result["export"] = exported.model_dump(mode="json")
    else:
        receipt = orchestration.erase(client, call.target, call.request_id, subject_ids)
        result["receipt"] = receipt.model_dump(mode="json")
        # A repeated erase finds nothing left; its receipt still names whom it erased,
        # and the tasks depending on this one (the vendor's) need those ids.
        erased = [item.subject_id for item in receipt.erased]
        result["subject_ids"] = [*subject_ids, *(i for i in erased if i not in subject_ids)]
    return CallOutcome(status=TaskStatus.done, result=result)


def _tell_vendor(targets: Targets, call: ClaimedCall, now: datetime) -> CallOutcome:
    if not call.found_before:
        # Not in the registry: the vendor only knows clients through the registry's ids.
        return CallOutcome(status=TaskStatus.done, result={"erased": [], "kept": []})
    if targets.vendor is None:
        raise orchestration.CallFailed(
            f"{call.target}: no webhook configured", CallErrorKind.not_configured
        )
    event = ErasureRequested(
        timestamp=now,
        data=ErasureRequestedData(
            request_id=call.request_id,
            task_id=call.task_id,
            client_ids=call.found_before,
            callback_path=f"/dsar/vendor/tasks/{call.task_id}/result",
        ),
    )
    try:
        targets.vendor.post(
            "", json=event.model_dump(mode="json"), idempotency_key=str(call.task_id)
        )
    except httpx.HTTPError as exc:
        raise orchestration.CallFailed.of(f"{call.target} webhook", exc) from exc
    return CallOutcome(status=TaskStatus.awaiting_vendor)


def record(
    vault: Vault, task: RequestTask, call: ClaimedCall, outcome: CallOutcome, now: datetime
) -> bool:
    """Records a call's outcome on its task, unless the task is no longer this call's: done
    meanwhile, or claimed again (by a retry on request, or after this claim's lease ran out)."""
    if task.status not in (TaskStatus.pending, TaskStatus.failed) or task.attempts != call.attempt:
        return False
    task.claimed_until = None
    if outcome.status is TaskStatus.failed:
        failure = outcome.failure or orchestration.CallFailed(
            f"{task.target}: failed", CallErrorKind.network
        )
        _failed(task, failure, now)
    elif outcome.status is TaskStatus.awaiting_vendor:
        task.status = TaskStatus.awaiting_vendor
        task.next_attempt_at = None
        _clear_error(task)
    else:
        _seal_result(vault, task, outcome.result or {})
        _done(task, now, by=None)
    return True


def _failed(task: RequestTask, failure: orchestration.CallFailed, now: datetime) -> None:
    task.status = TaskStatus.failed
    task.last_error = failure.error[:255]
    task.last_error_kind = failure.kind
    task.last_status = failure.status
    task.next_attempt_at = now + min(timedelta(seconds=2**task.attempts), MAX_BACKOFF)
    log.warning(
        "request task failed",
        data_request_id=str(task.request_id),
        target=task.target,
        attempts=task.attempts,
        error=task.last_error,
    )


def _done(task: RequestTask, now: datetime, *, by: str | None) -> None:
    task.status = TaskStatus.done
    task.done_at = now
    task.done_by = by
    task.next_attempt_at = None
    _clear_error(task)


def _clear_error(task: RequestTask) -> None:
    task.last_error = None
    task.last_error_kind = None
    task.last_status = None


def _seal_result(vault: Vault, task: RequestTask, result: dict[str, Any]) -> None:
    task.result_ct = vault.encrypt(
        str(task.request_id), json.dumps(result), context="request_task.result"
    )


def result_of(vault: Vault, task: RequestTask) -> dict[str, Any]:
    """What the store answered (empty while not done)."""
    sealed = vault.decrypt(str(task.request_id), task.result_ct, context="request_task.result")
    found: dict[str, Any] = json.loads(sealed) if sealed else {}
    return found


def exports(vault: Vault, tasks: Sequence[RequestTask]) -> dict[str, ExportResult] | None:
    """The services' exports of an access request, once every export call is done."""
    calls = [t for t in tasks if t.kind is TaskKind.service and t.operation is TaskOperation.export]
    if not calls or any(t.status is not TaskStatus.done for t in calls):
        return None
    return {t.target: ExportResult.model_validate(result_of(vault, t)["export"]) for t in calls}


def receipts(vault: Vault, tasks: Sequence[RequestTask]) -> dict[str, ErasureReceipt]:
    """Per target, what was erased and kept (the services' own receipts; for the vendor and the
    outside systems, what they answered and what staff recorded)."""
    found: dict[str, ErasureReceipt] = {}
    for task in tasks:
        result = result_of(vault, task)
        if "receipt" in result:
            found[task.target] = ErasureReceipt.model_validate(result["receipt"])
            continue
        erased = result.get("erased") or []
        found[task.target] = ErasureReceipt(
            service=task.target,
            request_id=str(task.request_id),
            # An outside system has no subject ids of Vern's: its part is named by the system.
            erased=[ErasedItem(subject_id=task.target, categories=erased)] if erased else [],
            kept=[KeptItem.model_validate(k) for k in result.get("kept", [])],
            completed_at=task.done_at or task.created_at,
        )
    return found


def retry(*, tasks: Sequence[RequestTask], now: datetime) -> list[RequestTask]:
    """Makes the request's failed and waiting calls due now; done tasks stay done. A call that a
    run has claimed and may be making right now (its lease still runs) is left to that run:
    made due now, it would be made twice at once. Its claim stands, and should its answer never
    be recorded the call is due again when the lease runs out."""
    due = [
        t
        for t in tasks
        if t.kind is not TaskKind.manual
        and t.status in (TaskStatus.pending, TaskStatus.failed)
        and not is_claimed(t, now)
    ]
    for task in due:
        task.next_attempt_at = now
    return due


def is_claimed(task: RequestTask, now: datetime) -> bool:
    """Whether a run holds the task's call now: claimed, not yet recorded, its lease running."""
    return task.claimed_until is not None and task.claimed_until > now


def mark_done(
    *,
    vault: Vault,
    principal: Principal,
    task: RequestTask,
    data: TaskDone,
    now: datetime,
) -> RequestTask:
    """Staff mark a manual task done with a note (sealed under the request's key)."""
    if task.kind is not TaskKind.manual:
        raise Conflict(
            "only a manual task is marked done by staff; calls finish by themselves",
            problem_type=problems.TASK_NOT_MANUAL,
        )
    if task.status is TaskStatus.done:
        raise Conflict("this task is already done", problem_type=problems.TASK_ALREADY_DONE)
    task.note_ct = vault.encrypt(str(task.request_id), data.note, context="request_task.note")
    kept = [k.model_dump(mode="json") for k in data.kept]
    _seal_result(vault, task, {"erased": [], "kept": kept, "manual": True})
    _done(task, now, by=principal.subject)
    return task


def vendor_answered(
    *, vault: Vault, principal: Principal, task: RequestTask, data: VendorResult, now: datetime
) -> RequestTask:
    """The journal vendor's answer to its erasure webhook; an answer repeated is accepted once."""
    if task.kind is not TaskKind.vendor:
        raise NotFound("no such task")
    if task.status is TaskStatus.done:
        return task
    _seal_result(
        vault, task, {"erased": data.erased, "kept": [k.model_dump(mode="json") for k in data.kept]}
    )
    _done(task, now, by=principal.subject)
    return task


def store_name(profile: OrgProfile, target: str) -> str:
    """A store's name: the profile's for an outside system, Vern's for its services."""
    system = profile.outside_systems.get(target)
    return system.name if system is not None else SERVICE_NAMES.get(target, target)


def summary_fields(task: TaskProgress, profile: OrgProfile) -> dict[str, Any]:
    """A task as a list of requests shows it (its store and status; nothing decrypted), as the
    plain data of a `TaskSummary`."""
    return {
        "id": task.id,
        "target": task.target,
        "name": store_name(profile, task.target),
        "kind": task.kind,
        "operation": task.operation,
        "status": task.status,
    }


def to_read(
    vault: Vault, data_request: DataRequest, task: RequestTask, profile: OrgProfile
) -> TaskRead:
    name = store_name(profile, task.target)
    note = None
    if task.note_ct is not None:
        note = vault.decrypt(str(task.request_id), task.note_ct, context="request_task.note")
    return TaskRead(
        id=task.id,
        target=task.target,
        name=name,
        kind=task.kind,
        operation=task.operation,
        status=task.status,
        owner_role=task.owner_role,
        checklist=json.loads(task.checklist) if task.checklist else [],
        due_date=data_request.due_date,
        attempts=task.attempts,
        next_attempt_at=task.next_attempt_at,
        error=task.last_error,
        error_kind=task.last_error_kind,
        error_status=task.last_status,
        done_at=task.done_at,
        done_by=task.done_by,
        note=note,
        note_removed=note_removed(data_request, task),
    )


def note_removed(data_request: DataRequest, task: RequestTask) -> bool:
    """Whether the task had a note that went with the request's identifiers. Notes are free
    text (what was searched and deleted, and where) that may name the person or tell what was
    held about them, so they are not part of what a request keeps as evidence after an erasure
    (its dates, outcome and keyed hashes): they are sealed under the request's key and shredded
    with it. Every manual task is marked done with a note."""
    return (
        data_request.identifiers_shredded_at is not None
        and task.kind is TaskKind.manual
        and task.status is TaskStatus.done
        and task.note_ct is None
    )

"""The rules for data requests: who files and reads them, identity, deadlines and extensions,
the status lifecycle with four-eyes approval of erasures, and the shredding of an erased person's
identifiers once the erasure is done."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from vern.dsar import problems
from vern.dsar.identifiers import compact_national_id
from vern.dsar.me import service as proof_service
from vern.dsar.me.proofs import ProofRefused
from vern.dsar.receipts import service as receipt_service
from vern.dsar.requests import deadline, lifecycle, orchestration
from vern.dsar.requests import repository as request_repository
from vern.dsar.requests.dependencies import SEES_EVERY_REQUEST
from vern.dsar.requests.models import (
    Approval,
    Channel,
    DataRequest,
    IdentityCheck,
    RequestStatus,
    RequestType,
)
from vern.dsar.requests.schemas import (
    AccessPackage,
    DataRequestCreate,
    ExtensionCreate,
    PackageSubject,
    RequestTransition,
)
from vern.dsar.tasks import repository as task_repository
from vern.dsar.tasks import service as task_service
from vern.dsar.tasks.models import RequestTask
from vern.dsar.tasks.repository import TaskProgress
from vern.dsar.tasks.service import Targets
from vern.kit import audit, clock, keyadmin
from vern.kit.auth import Principal
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from vern.kit.logging import get_logger
from vern.kit.orgprofile import OrgProfile

log = get_logger(__name__)

S = RequestStatus
_STAFF_ONLY_FIELDS = ("channel", "name", "national_id", "email", "identity_check")
_AUTOMATIC = "automatic"


def now() -> datetime:
    """The service's clock (tests move it)."""
    return clock.now_utc()


def create(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    data: DataRequestCreate,
) -> DataRequest:
    """Registers a request. Once identity is proven, an access request is planned at once as one
    task per store, and an erasure too where the profile grants erasure immediately. No store is
    called here: the calls are made after this transaction commits (`vern.dsar.tasks.runner`)."""
    channel, subject, identity_check = _requester(principal, data)
    if data.email_proof is not None:
        subject["email"] = _proven_email(targets, principal, data.email_proof)
    _check_corrections(data)
    request_id = uuid.uuid4()
    key = str(request_id)
    vault.create_subject_key(key)
    received_at = now()
    first_due = deadline.due_date_for(received_at, profile.deadlines)
    data_request = DataRequest(
        id=request_id,
        type=data.type,
        channel=channel,
        status=S.received,
        received_at=received_at,
        first_due_date=first_due,
        due_date=first_due,
        registered_by=principal.subject if principal.kind == "staff" else None,
        identity_check=identity_check,
        name_ct=_seal(vault, key, "name", subject.get("name")),
        national_id_ct=_seal(vault, key, "national_id", subject.get("national_id")),
        email_ct=_seal(vault, key, "email", subject.get("email")),
        corrections_ct=_seal(
            vault, key, "corrections", json.dumps(data.corrections) if data.corrections else None
        ),
        national_id_bidx=_blind_index(vault, "national_id", subject.get("national_id")),
        email_bidx=_blind_index(vault, "email", subject.get("email")),
    )
    moves: list[tuple[S, S, str | None]] = []
    tasks: list[RequestTask] = []
    if identity_check is not None:
        moves = _identity_proven(profile, data_request)
        tasks = _start(profile, data_request, [])
    request_repository.add(session=session, data_request=data_request)
    task_repository.add_all(session=session, tasks=tasks)
    moves += _progress(vault, profile, data_request, tasks)
    audit.record(
        session,
        principal=principal,
        action="data_request.create",
        subject_type="data_request",
        subject_id=request_id,
    )
    _finish(session, vault, targets, profile, principal, data_request, tasks, moves)
    log.info(
        "data request registered",
        data_request_id=key,
        type=data.type.value,
        status=data_request.status.value,
    )
    return data_request


def _requester(
    principal: Principal, data: DataRequestCreate
) -> tuple[Channel, dict[str, str | None], IdentityCheck | None]:
    """The channel, the identifiers and how identity was checked: from the BankID login for a
    client, from the body for staff (a letter or email may still await its identity check)."""
    if principal.kind == "client":
        given = [name for name in _STAFF_ONLY_FIELDS if getattr(data, name) is not None]
        if given:
            reason = "is not given by clients: your BankID login says who you are"
            raise _invalid(dict.fromkeys(given, reason))
        assert principal.national_id is not None
        subject: dict[str, str | None] = {"national_id": compact_national_id(principal.national_id)}
        return Channel.self_service, subject, IdentityCheck.bankid_login
    channel = data.channel or Channel.staff
    problems: dict[str, str] = {}
    if data.national_id is None and data.email is None:
        problems["national_id"] = "give the requester's national id or email"
    if data.identity_check is None and channel is Channel.staff:
        problems["identity_check"] = "say how the requester's identity was checked"
    if problems:
        raise _invalid(problems)
    given_subject: dict[str, str | None] = {
        "name": data.name,
        "national_id": data.national_id,
        "email": data.email,
    }
    return channel, given_subject, data.identity_check


def _proven_email(targets: Targets, principal: Principal, email_proof: str) -> str:
    """The address a client proved (`vern.dsar.me`), added to the request's identifiers."""
    if principal.kind != "client" or targets.signer is None:
        raise _invalid({"email_proof": "is given by clients logged in with BankID only"})
    try:
        return proof_service.proven_email(
            signer=targets.signer,
            principal=principal,
            proof=email_proof,
            audience=targets.signer.issuer,
        )
    except ProofRefused as exc:
        raise _invalid({"email_proof": str(exc)}) from None


def _check_corrections(data: DataRequestCreate) -> None:
    if data.type is RequestType.rectification and not data.corrections:
        raise _invalid({"corrections": "say which fields to correct and their new values"})
    if data.type is not RequestType.rectification and data.corrections is not None:
        raise _invalid({"corrections": "only a rectification request carries corrections"})


def _identity_proven(
    profile: OrgProfile, data_request: DataRequest
) -> list[tuple[S, S, str | None]]:
    """Moves a request whose identity was just proven as far as it goes by itself."""
    moves = [_move(data_request, S.identity_verified)]
    if data_request.type is RequestType.access:
        moves.append(_move(data_request, S.in_progress, _AUTOMATIC))
    elif data_request.type is RequestType.erasure and profile.erasure.erasure_immediately:
        moves.append(_move(data_request, S.approved, _AUTOMATIC))
        data_request.approval = Approval.automatic
        data_request.approved_at = now()
    return moves


def _carried_out(data_request: DataRequest) -> bool:
    """Whether the request is at the point where its tasks run: an access or rectification in
    progress, an erasure once approved."""
    if not task_service.is_planned(data_request.type):
        return False
    if data_request.type is RequestType.erasure:
        return data_request.status is S.approved
    return data_request.status is S.in_progress


def _start(
    profile: OrgProfile, data_request: DataRequest, planned: list[RequestTask]
) -> list[RequestTask]:
    """Plans the request's tasks if it has reached that point and has none; returns the tasks
    that are new, their calls due at once (made once the transaction has committed)."""
    if planned or not _carried_out(data_request):
        return []
    return task_service.plan(profile=profile, data_request=data_request, now=now())


def _progress(
    vault: Vault, profile: OrgProfile, data_request: DataRequest, tasks: Sequence[RequestTask]
) -> list[tuple[S, S, str | None]]:
    """What the tasks' progress means for the request: an access package once every service has
    exported, and the request completed once no task is open."""
    if not tasks or not _carried_out(data_request):
        return []
    key = str(data_request.id)
    if data_request.type is RequestType.access and data_request.package_ct is None:
        exports = task_service.exports(vault, tasks)
        if exports is not None:
            subject = PackageSubject(
                national_id=vault.decrypt(
                    key, data_request.national_id_ct, context="data_request.national_id"
                ),
                email=vault.decrypt(key, data_request.email_ct, context="data_request.email"),
            )
            package = orchestration.build_access_package(
                request_id=data_request.id,
                generated_at=now(),
                subject=subject,
                exports=exports,
                profile=profile,
            )
            data_request.package_ct = _seal(vault, key, "package", package.model_dump_json())
    if task_service.open_targets(tasks):
        return []
    data_request.error = None
    moves = [_move(data_request, S.completed, _AUTOMATIC)]
    data_request.completed_at = now()
    return moves


def _finish(
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    data_request: DataRequest,
    tasks: Sequence[RequestTask],
    moves: Sequence[tuple[S, S, str | None]],
) -> None:
    """Stores the request and its tasks with the moves audited; a completed erasure then gets
    its signed receipt, and its identifiers are shredded."""
    for task in tasks:
        session.add(task)
    erasure_done = data_request.status is S.completed and data_request.type is RequestType.erasure
    if erasure_done and tasks and data_request.receipt_jws is None and targets.signer:
        claims = receipt_service.build(
            vault=vault,
            profile=profile,
            issuer=targets.signer.issuer,
            data_request=data_request,
            tasks=tasks,
            now=now(),
        )
        data_request.receipt_jws = receipt_service.sign(targets.signer, claims)
    _audit_moves(session, principal, data_request, moves)
    if erasure_done and data_request.identifiers_shredded_at is None:
        _shred_identifiers(session, vault, data_request)


def carry_out(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    data_request: DataRequest,
    force: bool = False,
) -> list[RequestTask]:
    """Plans a request's tasks if it has none yet, makes its open calls due at once with `force`
    (they are made after the commit), and moves the request on."""
    tasks = task_repository.for_request(session=session, request_id=data_request.id)
    new = _start(profile, data_request, tasks)
    if new:
        task_repository.add_all(session=session, tasks=new)
        tasks = new
    elif force and _carried_out(data_request):
        task_service.retry(tasks=tasks, now=now())
    _finish(
        session,
        vault,
        targets,
        profile,
        principal,
        data_request,
        tasks,
        _progress(vault, profile, data_request, tasks),
    )
    return tasks


def record_call(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    call: task_service.ClaimedCall,
    outcome: task_service.CallOutcome,
) -> bool:
    """Records what a call came to on its task and moves the request on (its access package,
    its completion, an erasure's receipt). The request's row is locked first, so that two runs
    recording their calls at once each see the other's task. False if the task was no longer
    this call's (see `task_service.record`)."""
    data_request = request_repository.get_for_update(session=session, request_id=call.request_id)
    if data_request is None:
        return False
    tasks = task_repository.for_request(session=session, request_id=call.request_id)
    task = next((t for t in tasks if t.id == call.task_id), None)
    if task is None or not task_service.record(vault, task, call, outcome, now()):
        return False
    moves = _progress(vault, profile, data_request, tasks)
    _finish(session, vault, targets, profile, principal, data_request, tasks, moves)
    return True


def lock_task(
    *, session: Session, task_id: uuid.UUID, request_id: uuid.UUID | None = None
) -> tuple[DataRequest, RequestTask]:
    """A task with its request's row locked, for a change made to the task: the request is
    locked first and the task read after, as every path writing a task does (the runner's
    claims and records too), so two transactions never wait for each other's rows in the other
    order (on PostgreSQL that is a deadlock). The task is read again once the lock is held: a
    transaction that held it may have finished the task meanwhile. NotFound if the task is not
    (one of `request_id`'s)."""
    task = task_repository.get(session=session, task_id=task_id)
    if task is None or (request_id is not None and task.request_id != request_id):
        raise NotFound("no such task")
    data_request = _get(session, task.request_id, lock=True)
    session.refresh(task)
    return data_request, task


def task_finished(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    data_request: DataRequest,
    task: RequestTask,
) -> DataRequest:
    """After a manual task or the vendor's answer, with the request locked (`lock_task`): moves
    the request on (what waited for the task is called after the commit)."""
    session.add(task)
    audit.record(
        session,
        principal=principal,
        action="data_request.task_done",
        subject_type="data_request",
        subject_id=data_request.id,
        reason=f"{task.kind.value} {task.target}",
    )
    carry_out(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        data_request=data_request,
    )
    return data_request


def transition(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    request_id: uuid.UUID,
    data: RequestTransition,
) -> DataRequest:
    """Moves a request to `data.status` if the lifecycle table and the rules allow it; a request
    that reaches its tasks (an access or rectification in progress, an approved erasure) has them
    planned, their calls due at once (made after the commit)."""
    data_request = _get(session, request_id, lock=True)
    target = data.status
    lifecycle.check(data_request.status, target)
    _check_transition_fields(data_request, data)
    if target in (S.awaiting_approval, S.approved) and data_request.type is not RequestType.erasure:
        raise Conflict(
            "only erasures are approved; move this request on without approval",
            problem_type=problems.APPROVAL_ONLY_ERASURE,
        )
    tasks = task_repository.for_request(session=session, request_id=request_id)
    if target is S.approved:
        _check_approval(data_request, principal)
    if target is S.completed:
        _check_completion(data_request, profile, tasks)
    if target is S.identity_verified:
        data_request.identity_check = data_request.identity_check or data.identity_check
        moves = _identity_proven(profile, data_request)
    else:
        moves = [_move(data_request, target)]
    _apply(data_request, principal, data)
    new = _start(profile, data_request, tasks)
    if new:
        task_repository.add_all(session=session, tasks=new)
        tasks = new
    elif tasks and _carried_out(data_request):
        # Back in progress (e.g. after `failed`): the open calls are due again at once.
        task_service.retry(tasks=tasks, now=now())
    moves += _progress(vault, profile, data_request, tasks)
    _finish(session, vault, targets, profile, principal, data_request, tasks, moves)
    return data_request


def _check_transition_fields(data_request: DataRequest, data: RequestTransition) -> None:
    problems: dict[str, str] = {}
    if data.status is S.identity_verified:
        if data_request.identity_check is None and data.identity_check is None:
            problems["identity_check"] = "say how the requester's identity was checked"
    elif data.identity_check is not None:
        problems["identity_check"] = "is given only when the identity is verified"
    if data.status is S.rejected and data.rejection_reason is None:
        problems["rejection_reason"] = "a rejection needs its reason"
    elif data.status is not S.rejected and data.rejection_reason is not None:
        problems["rejection_reason"] = "is given only when a request is rejected"
    if problems:
        raise _invalid(problems)


def _check_approval(data_request: DataRequest, principal: Principal) -> None:
    if data_request.status is not S.awaiting_approval:
        raise Conflict(
            "an erasure is approved once handled: the handler moves it to awaiting_approval, "
            "then a second staff member approves it",
            problem_type=problems.APPROVAL_NOT_AWAITED,
        )
    if principal.subject in (data_request.handler, data_request.registered_by):
        raise Forbidden(
            "four-eyes approval: a second staff member, not the one who handled this request, "
            "must approve it",
            problem_type=problems.FOUR_EYES,
        )


def _check_completion(
    data_request: DataRequest, profile: OrgProfile, tasks: Sequence[RequestTask]
) -> None:
    still_open = task_service.open_targets(tasks)
    if still_open:
        raise Conflict(
            "the request cannot be completed while tasks are open: " + ", ".join(still_open),
            problem_type=problems.TASKS_OPEN,
        )
    needs_approval = profile.erasure.four_eyes_approval or profile.erasure.erasure_immediately
    if (
        data_request.type is RequestType.erasure
        and needs_approval
        and data_request.status is not S.approved
    ):
        raise Conflict(
            "an erasure is carried out only once approved: move it to awaiting_approval and "
            "have a second staff member approve it",
            problem_type=problems.APPROVAL_REQUIRED,
        )


def _apply(data_request: DataRequest, principal: Principal, data: RequestTransition) -> None:
    """Records who did what with the move just made."""
    status = data_request.status
    if status in (S.in_progress, S.awaiting_approval) or data_request.handler is None:
        data_request.handler = principal.subject
    if data.status is S.approved:
        data_request.approval = Approval.four_eyes
        data_request.approved_by = principal.subject
        data_request.approved_at = now()
    if status is S.rejected:
        data_request.rejection_reason = data.rejection_reason
    if status is S.completed and data_request.completed_at is None:
        data_request.completed_at = now()


def _shred_identifiers(session: Session, vault: Vault, erasure: DataRequest) -> None:
    """Once an erasure is done, the request stays as evidence but must not be the last copy of
    the person: the identifiers of every closed request naming them (by blind index) are
    destroyed with their keys; dates, outcome and keyed hashes remain."""
    related = request_repository.same_subject(
        session=session,
        national_id_bidxs=_indexes_of(vault, erasure, "national_id"),
        email_bidxs=_indexes_of(vault, erasure, "email"),
    )
    closed = [r for r in related if not lifecycle.is_open(r.status) or r.id == erasure.id]
    if erasure not in closed:
        closed.append(erasure)
    shredded_at = now()
    tasks = task_repository.for_requests(session=session, request_ids=[r.id for r in closed])
    for data_request in closed:
        _strip_identifiers(session, data_request, tasks[data_request.id], shredded_at)
    session.flush()
    # The keys go last, once every write of this transaction has been accepted: the key store
    # commits on its own, and a key destroyed for a move that then failed cannot come back.
    vault.shred_many([str(r.id) for r in closed])
    log.info(
        "identifiers shredded after erasure", data_request_id=str(erasure.id), count=len(closed)
    )


def _strip_identifiers(
    session: Session, data_request: DataRequest, tasks: Sequence[RequestTask], at: datetime
) -> None:
    data_request.name_ct = data_request.national_id_ct = data_request.email_ct = None
    data_request.corrections_ct = data_request.package_ct = None
    data_request.identifiers_shredded_at = at
    session.add(data_request)
    for task in tasks:
        task.result_ct = task.note_ct = None
        session.add(task)


def _holds_identifiers(data_request: DataRequest, tasks: Sequence[RequestTask]) -> bool:
    sealed = (
        data_request.name_ct, data_request.national_id_ct, data_request.email_ct,
        data_request.corrections_ct, data_request.package_ct,
        *(t.result_ct for t in tasks), *(t.note_ct for t in tasks),
    )  # fmt: skip
    return data_request.identifiers_shredded_at is None or any(v is not None for v in sealed)


def purge_erased(session: Session, vault: Vault, subject_ids: Sequence[str]) -> dict[str, int]:
    """After a restore (`replay-shreds`): the requests whose keys were destroyed after the backup
    lose what the restore brought back under those keys (identifiers, corrections, the access
    package, the stores' answers and staff notes), as `_shred_identifiers` does; the request
    itself stays, as it does after an erasure: dates, outcome and keyed hashes are the evidence.
    One `data_request.identifiers_shredded` audit event each (ids only). Idempotent."""
    ids = []
    for subject_id in subject_ids:
        try:
            ids.append(uuid.UUID(subject_id))
        except ValueError:
            continue
    found = request_repository.by_ids(session=session, request_ids=ids) if ids else []
    tasks = task_repository.for_requests(session=session, request_ids=[r.id for r in found])
    stripped = [r for r in found if _holds_identifiers(r, tasks[r.id])]
    at = now()
    for data_request in stripped:
        # A date the backup already held is kept.
        shredded_at = data_request.identifiers_shredded_at or at
        _strip_identifiers(session, data_request, tasks[data_request.id], shredded_at)
    session.flush()
    audit.record_many(
        session, principal=keyadmin.RESTORE, action="data_request.identifiers_shredded",
        subject_type="data_request", subject_ids=[str(r.id) for r in stripped],
        reason=keyadmin.RESTORE_REASON,
    )  # fmt: skip
    return {"data_request": len(stripped)}


def extend(
    *,
    session: Session,
    profile: OrgProfile,
    principal: Principal,
    request_id: uuid.UUID,
    data: ExtensionCreate,
) -> DataRequest:
    """Extends the deadline by `data.months` (at most the profile's maximum), only while the
    first deadline runs and with the letter to the subject sent within it."""
    data_request = _get(session, request_id)
    if not lifecycle.is_open(data_request.status):
        raise Conflict(
            f"a {data_request.status.value} request has no deadline to extend",
            problem_type=problems.REQUEST_CLOSED,
        )
    if data_request.extension_months is not None:
        raise Conflict(problem_type=problems.ALREADY_EXTENDED)
    today = clock.oslo_date(now())
    first_due = data_request.first_due_date
    invalid: dict[str, str] = {}
    if today > first_due:
        invalid["months"] = (
            f"the first deadline ran out on {first_due.isoformat()}; "
            "an extension is granted only while it runs"
        )
    elif not deadline.extension_allowed(first_due, data.months, profile.deadlines):
        invalid["months"] = "is longer than the longest extension the centre allows"
    if data.letter_sent_date > today:
        invalid["letter_sent_date"] = "cannot be in the future: record the letter once sent"
    elif data.letter_sent_date > first_due:
        invalid["letter_sent_date"] = "the subject must be told within the first deadline"
    elif data.letter_sent_date < clock.oslo_date(data_request.received_at):
        invalid["letter_sent_date"] = "is before the request was received"
    if invalid:
        raise _invalid(invalid)
    data_request.extension_months = data.months
    data_request.extension_reason = data.reason
    data_request.extension_letter_sent_date = data.letter_sent_date
    data_request.extension_letter_sent_via = data.letter_sent_via
    data_request.extended_at = now()
    data_request.due_date = deadline.extended_due_date(first_due, data.months)
    session.add(data_request)
    audit.record(
        session,
        principal=principal,
        action="data_request.extend",
        subject_type="data_request",
        subject_id=request_id,
    )
    return data_request


def get_for_reading(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    request_id: uuid.UUID,
    lock: bool = False,
) -> DataRequest:
    """Gets a request the principal may read: managers and the DPO all, other staff those they
    registered, a client those naming their own national id (others do not exist for them).
    With `lock`, the request's row is locked, before its tasks are changed."""
    if lock:
        data_request = request_repository.get_for_update(session=session, request_id=request_id)
    else:
        data_request = request_repository.get(session=session, request_id=request_id)
    if data_request is None or (
        principal.kind == "client"
        and data_request.national_id_bidx not in _own_bidxs(vault, principal)
    ):
        raise NotFound("no such request")
    if (
        principal.kind == "staff"
        and not principal.has_role(*SEES_EVERY_REQUEST)
        and data_request.registered_by != principal.subject
    ):
        raise Forbidden("you did not register this request")
    audit.record(
        session,
        principal=principal,
        action="data_request.read",
        subject_type="data_request",
        subject_id=request_id,
    )
    return data_request


def read_package(
    *, session: Session, vault: Vault, principal: Principal, request_id: uuid.UUID
) -> AccessPackage:
    """The access package of a completed access request (its client, managers and the DPO)."""
    data_request = get_for_reading(
        session=session, vault=vault, principal=principal, request_id=request_id
    )
    if data_request.package_ct is None:
        raise NotFound("this request has no access package")
    package = vault.decrypt(
        str(request_id), data_request.package_ct, context="data_request.package"
    )
    assert package is not None
    audit.record(
        session,
        principal=principal,
        action="data_request.package_read",
        subject_type="data_request",
        subject_id=request_id,
    )
    return AccessPackage.model_validate_json(package)


def list_visible(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    filters: request_repository.Filters,
    limit: int,
    offset: int,
) -> tuple[list[request_repository.ListedRequest], dict[uuid.UUID, list[TaskProgress]], int]:
    """Managers and the DPO see every request, other staff those they registered, a client
    their own; `filters` narrows further. One page of them with each one's tasks, and how many
    there are in all; nothing on the page is decrypted."""
    if principal.kind == "client":
        filters = replace(filters, national_id_bidxs=_own_bidxs(vault, principal))
    elif not principal.has_role(*SEES_EVERY_REQUEST):
        filters = replace(filters, registered_by=principal.subject)
    found, total = request_repository.search(
        session=session, filters=filters, limit=limit, offset=offset
    )
    tasks = task_repository.progress_of_requests(
        session=session, request_ids=[data_request.id for data_request in found]
    )
    audit.record(
        session,
        principal=principal,
        action="data_request.list",
        subject_type="data_request",
        subject_id=None,
    )
    return found, tasks, total


def _get(session: Session, request_id: uuid.UUID, *, lock: bool = False) -> DataRequest:
    if lock:
        data_request = request_repository.get_for_update(session=session, request_id=request_id)
    else:
        data_request = request_repository.get(session=session, request_id=request_id)
    if data_request is None:
        raise NotFound("no such request")
    return data_request


def _move(data_request: DataRequest, target: S, how: str | None = None) -> tuple[S, S, str | None]:
    """Moves the request in memory after checking the table; audited by `_audit_moves`."""
    current = data_request.status
    lifecycle.check(current, target)
    data_request.status = target
    return current, target, how


def _audit_moves(
    session: Session,
    principal: Principal,
    data_request: DataRequest,
    moves: Sequence[tuple[S, S, str | None]],
) -> None:
    session.add(data_request)
    session.flush()
    for source, target, how in moves:
        reason = f"{source.value} -> {target.value}" + (f" ({how})" if how else "")
        audit.record(
            session,
            principal=principal,
            action="data_request.transition",
            subject_type="data_request",
            subject_id=data_request.id,
            reason=reason,
        )


def _own_bidxs(vault: Vault, principal: Principal) -> list[str]:
    """The client's national id under every configured blind-index key (a rotation may be
    under way: requests not yet re-indexed are still theirs)."""
    assert principal.national_id is not None
    return vault.blind_indexes("national_id", compact_national_id(principal.national_id))


def _indexes_of(vault: Vault, data_request: DataRequest, kind: str) -> set[str]:
    """A request's stored index of `kind` and, while its key exists, the identifier's index under
    every configured key, so that requests indexed under another key match too."""
    stored: str | None = getattr(data_request, f"{kind}_bidx")
    found = {stored} if stored else set()
    try:
        plain = vault.decrypt(
            str(data_request.id),
            getattr(data_request, f"{kind}_ct"),
            context=f"data_request.{kind}",
        )
    except SubjectKeyMissing:
        return found
    return found | set(vault.blind_indexes(kind, plain)) if plain else found


def _seal(vault: Vault, key: str, name: str, value: str | None) -> str | None:
    return vault.encrypt(key, value, context=f"data_request.{name}")


def _blind_index(vault: Vault, kind: str, value: str | None) -> str | None:
    return vault.blind_index(kind, value) if value else None


def _invalid(problems: dict[str, str]) -> InvalidInput:
    return InvalidInput(
        "; ".join(f"{field}: {message}" for field, message in problems.items()),
        errors=[FieldError(field=field, message=message) for field, message in problems.items()],
    )

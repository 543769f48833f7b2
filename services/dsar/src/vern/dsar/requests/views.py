"""How a stored request reads in the API: alone with its identifiers decrypted, or in a list
without them; both with the countdown to its due date."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from vern.dsar.requests import deadline, lifecycle
from vern.dsar.requests.models import DataRequest
from vern.dsar.requests.repository import ListedRequest
from vern.dsar.requests.schemas import DataRequestPage, DataRequestRead, RequestSubject
from vern.dsar.tasks import repository as task_repository
from vern.dsar.tasks import service as task_service
from vern.dsar.tasks.models import RequestTask, TaskStatus
from vern.dsar.tasks.repository import TaskProgress
from vern.dsar.tasks.schemas import TaskRead
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile


def _state(
    data_request: DataRequest | ListedRequest, *, today: date, open_tasks: int
) -> dict[str, Any]:
    """The fields a request and a list of them both show, as plain data (the response model
    validates it once)."""
    days_left = deadline.days_left(data_request.due_date, today)
    return {
        "id": data_request.id,
        "type": data_request.type,
        "channel": data_request.channel,
        "status": data_request.status,
        "received_at": data_request.received_at,
        "first_due_date": data_request.first_due_date,
        "due_date": data_request.due_date,
        "days_left": days_left,
        "overdue": days_left < 0 and lifecycle.is_open(data_request.status),
        "completed_at": data_request.completed_at,
        "registered_by": data_request.registered_by,
        "handler": data_request.handler,
        "identity_check": data_request.identity_check,
        "extension": _extension(data_request),
        "approval": _approval(data_request),
        "rejection_reason": data_request.rejection_reason,
        "identifiers_shredded": data_request.identifiers_shredded_at is not None,
        "error": data_request.error,
        "open_tasks": open_tasks,
        "receipt_available": data_request.receipt_available,
    }


def to_read(
    vault: Vault, data_request: DataRequest, *, today: date, tasks: list[TaskRead]
) -> DataRequestRead:
    key = str(data_request.id)

    def unseal(name: str, token: str | None) -> str | None:
        return vault.decrypt(key, token, context=f"data_request.{name}")

    corrections = unseal("corrections", data_request.corrections_ct)
    return DataRequestRead(
        **_state(data_request, today=today, open_tasks=_open(tasks)),
        subject=RequestSubject(
            name=unseal("name", data_request.name_ct),
            national_id=unseal("national_id", data_request.national_id_ct),
            email=unseal("email", data_request.email_ct),
        ),
        corrections=json.loads(corrections) if corrections is not None else None,
        tasks=tasks,
    )


def page(
    profile: OrgProfile,
    found: Sequence[ListedRequest],
    tasks: Mapping[uuid.UUID, Sequence[TaskProgress]],
    *,
    today: date,
    total: int,
    limit: int,
    offset: int,
) -> DataRequestPage:
    """A page of the queue as a list shows it: nothing decrypted, each task's store and status.
    Built as plain data and validated once, as a whole."""
    items = []
    for listed in found:
        shown = [task_service.summary_fields(task, profile) for task in tasks[listed.id]]
        open_tasks = sum(1 for task in shown if task["status"] is not TaskStatus.done)
        items.append({**_state(listed, today=today, open_tasks=open_tasks), "tasks": shown})
    return DataRequestPage.model_validate(
        {"items": items, "total": total, "limit": limit, "offset": offset}
    )


def _open(tasks: Sequence[TaskRead]) -> int:
    return sum(1 for task in tasks if task.status is not TaskStatus.done)


def _extension(data_request: DataRequest | ListedRequest) -> dict[str, Any] | None:
    if data_request.extension_months is None:
        return None
    return {
        "months": data_request.extension_months,
        "reason": data_request.extension_reason,
        "letter_sent_date": data_request.extension_letter_sent_date,
        "letter_sent_via": data_request.extension_letter_sent_via,
        "extended_at": data_request.extended_at,
    }


def _approval(data_request: DataRequest | ListedRequest) -> dict[str, Any] | None:
    if data_request.approval is None or data_request.approved_at is None:
        return None
    return {
        "kind": data_request.approval,
        "approved_by": data_request.approved_by,
        "approved_at": data_request.approved_at,
    }


def read(
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    data_request: DataRequest,
    *,
    today: date,
    tasks: Sequence[RequestTask] | None = None,
) -> DataRequestRead:
    """The request as the API shows it, with its tasks (looked up unless given)."""
    if tasks is None:
        tasks = task_repository.for_request(session=session, request_id=data_request.id)
    shown = [task_service.to_read(vault, data_request, task, profile) for task in tasks]
    return to_read(vault, data_request, today=today, tasks=shown)

"""Every query on data requests."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, func, not_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from vern.dsar.requests.lifecycle import FINAL
from vern.dsar.requests.models import DataRequest, RequestStatus, RequestType


@dataclass(frozen=True)
class Filters:
    """Narrows a list; `national_id_bidxs` (a national id's index under each configured key) and
    `registered_by` say whose requests may be seen."""

    statuses: Collection[RequestStatus] = ()
    types: Collection[RequestType] = ()
    overdue: bool | None = None  # open and past due on `today` (or, False, not)
    today: date | None = None
    national_id_bidxs: Collection[str] | None = None
    registered_by: str | None = None


def get(*, session: Session, request_id: uuid.UUID) -> DataRequest | None:
    """Gets a request by its id."""
    return session.get(DataRequest, request_id)


def get_for_update(*, session: Session, request_id: uuid.UUID) -> DataRequest | None:
    """Gets a request with its row locked until the transaction ends (on PostgreSQL; SQLite
    has one writer at a time), so that two transactions moving it on see each other's tasks."""
    query = (
        select(DataRequest)
        .where(DataRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(query).first()


def by_ids(*, session: Session, request_ids: Sequence[uuid.UUID]) -> list[DataRequest]:
    query = select(DataRequest).where(col(DataRequest.id).in_(list(request_ids)))
    return list(session.exec(query.order_by(col(DataRequest.id))).all())


def add(*, session: Session, data_request: DataRequest) -> None:
    session.add(data_request)
    session.flush()


# What a list shows of a request: its state and dates, read as plain columns (building a whole
# request object costs more than the rest of a page). No sealed identifiers, corrections,
# access package or receipt: a list decrypts nothing, and those can be large.
_LISTED_COLUMNS = (
    "id", "type", "channel", "status", "received_at", "first_due_date", "due_date",
    "completed_at", "registered_by", "handler", "identity_check", "extension_months",
    "extension_reason", "extension_letter_sent_date", "extension_letter_sent_via", "extended_at",
    "approval", "approved_by", "approved_at", "rejection_reason", "identifiers_shredded_at", "error",
)  # fmt: skip
_LISTED = [
    *(getattr(DataRequest, name) for name in _LISTED_COLUMNS),
    col(DataRequest.receipt_jws).is_not(None).label("receipt_available"),
]

ListedRequest = Row[Any]


def search(
    *, session: Session, filters: Filters, limit: int, offset: int
) -> tuple[list[ListedRequest], int]:
    """One page of the requests matching `filters`, the earliest due first, and how many match."""
    conditions = _conditions(filters)
    total = session.exec(select(func.count()).select_from(DataRequest).where(*conditions)).one()
    query = (
        sa_select(*_LISTED)
        .where(*conditions)
        .order_by(col(DataRequest.due_date), col(DataRequest.received_at), col(DataRequest.id))
        .limit(limit)
        .offset(offset)
    )
    return list(session.execute(query).all()), int(total)


def _conditions(filters: Filters) -> list[Any]:
    conditions: list[Any] = []
    if filters.statuses:
        conditions.append(col(DataRequest.status).in_(list(filters.statuses)))
    if filters.types:
        conditions.append(col(DataRequest.type).in_(list(filters.types)))
    if filters.overdue is not None:
        assert filters.today is not None
        overdue = and_(
            col(DataRequest.due_date) < filters.today,
            col(DataRequest.status).not_in(list(FINAL)),
        )
        conditions.append(overdue if filters.overdue else not_(overdue))
    if filters.national_id_bidxs is not None:
        conditions.append(col(DataRequest.national_id_bidx).in_(list(filters.national_id_bidxs)))
    if filters.registered_by is not None:
        conditions.append(col(DataRequest.registered_by) == filters.registered_by)
    return conditions


def same_subject(
    *, session: Session, national_id_bidxs: Collection[str], email_bidxs: Collection[str]
) -> Sequence[DataRequest]:
    """Every request naming the same national id or email (by blind index, under any key)."""
    matches = []
    if national_id_bidxs:
        matches.append(col(DataRequest.national_id_bidx).in_(list(national_id_bidxs)))
    if email_bidxs:
        matches.append(col(DataRequest.email_bidx).in_(list(email_bidxs)))
    if not matches:
        return []
    return session.exec(select(DataRequest).where(or_(*matches))).all()

"""Every query on data requests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from vern.dsar.requests.models import DataRequest


def get(*, session: Session, request_id: uuid.UUID) -> DataRequest | None:
    """Gets a request by its id."""
    return session.get(DataRequest, request_id)


def add(*, session: Session, data_request: DataRequest) -> None:
    session.add(data_request)
    session.flush()


def list_all(*, session: Session, limit: int, offset: int) -> Sequence[DataRequest]:
    """Every request, newest first."""
    query = (
        select(DataRequest)
        .order_by(col(DataRequest.received_at).desc())
        .limit(limit)
        .offset(offset)
    )
    return session.exec(query).all()


def list_for_national_id(
    *, session: Session, national_id_bidx: str, limit: int, offset: int
) -> Sequence[DataRequest]:
    """The requests naming one national id (by its blind index), newest first."""
    query = (
        select(DataRequest)
        .where(DataRequest.national_id_bidx == national_id_bidx)
        .order_by(col(DataRequest.received_at).desc())
        .limit(limit)
        .offset(offset)
    )
    return session.exec(query).all()


def list_for_handler(
    *, session: Session, handler: str, limit: int, offset: int
) -> Sequence[DataRequest]:
    """The requests one staff member registered or handles, newest first."""
    query = (
        select(DataRequest)
        .where(DataRequest.handler == handler)
        .order_by(col(DataRequest.received_at).desc())
        .limit(limit)
        .offset(offset)
    )
    return session.exec(query).all()

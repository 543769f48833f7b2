"""A read-only query on the data requests' deadlines: only the columns every version of the
request model has (id, status, due date), so the requests package may change around them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

_data_request = sa.table(
    "data_request",
    sa.column("id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("due_date", sa.Date()),
)

# A request is answered once it reaches one of these; every other status leaves its clock running.
ANSWERED_STATUSES = ("completed", "rejected", "refused", "withdrawn", "cancelled")


def open_requests(*, session: Session) -> Sequence[tuple[uuid.UUID, date]]:
    """The id and due date of every request not yet answered, earliest due first."""
    query = (
        sa.select(_data_request.c.id, _data_request.c.due_date)
        .where(_data_request.c.status.not_in(ANSWERED_STATUSES))
        .order_by(_data_request.c.due_date, _data_request.c.id)
    )
    return [(row.id, row.due_date) for row in session.execute(query)]

"""Helpers for the deadline tests: data requests written straight into their table (only the
columns the deadlines read, plus whatever the request model requires), and a real local SMTP
server (aiosmtpd, tests/smtp.py) that keeps what dsar sends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from sqlmodel import Session as DbSession

from ..smtp import Inbox, mail_to

REMINDER_TO = "leder@nokbergen.example"


def add_request(session: DbSession, *, due_date: date, status: str = "received") -> str:
    """A data request with this due date and status, written with plain SQL so that the test
    does not depend on the rest of the request model."""
    table = sa.Table("data_request", sa.MetaData(), autoload_with=session.connection())
    request_id = uuid.uuid4()
    values: dict[str, Any] = {
        "id": request_id, "type": "erasure", "channel": "staff", "status": status,
        "received_at": datetime.now(UTC), "due_date": due_date,
    }  # fmt: skip
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None:
            continue
        values[column.name] = due_date if isinstance(column.type, sa.Date) else ""
    columns = [
        sa.column(name, sa.Uuid() if name == "id" else table.c[name].type) for name in values
    ]
    session.execute(sa.table("data_request", *columns).insert().values(**values))
    session.flush()
    return str(request_id)


@pytest.fixture
def inbox(vern_app: FastAPI, smtp_server: tuple[Controller, Inbox]) -> Iterator[Inbox]:
    """Reminders configured to go to the local SMTP server, with an empty inbox."""
    with mail_to(
        vern_app, smtp_server, reminder_to=REMINDER_TO, staff_base_url="https://vern.example"
    ) as inbox:
        yield inbox

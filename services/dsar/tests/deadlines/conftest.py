"""Helpers for the deadline tests: data requests written straight into their table (only the
columns the deadlines read, plus whatever the request model requires), and a real local SMTP
server (aiosmtpd) that keeps what dsar sends."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI
from sqlmodel import Session as DbSession

from vern.dsar.config import DsarSettings

REMINDER_TO = "leder@nokbergen.example"
logging.getLogger("mail.log").setLevel(logging.WARNING)


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


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def bodies(self) -> list[str]:
        out = []
        for message in self.messages:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            out.append(f"{message['Subject']}\n{body.get_content()}")
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def inbox(vern_app: FastAPI, smtp_server: tuple[Controller, Inbox]) -> Iterator[Inbox]:
    """Reminders configured to go to the local SMTP server, with an empty inbox."""
    controller, inbox = smtp_server
    inbox.messages.clear()
    inbox.recipients.clear()
    original: DsarSettings = vern_app.state.settings
    vern_app.state.settings = original.model_copy(
        update={"reminder_to": REMINDER_TO, "smtp_host": "127.0.0.1", "smtp_port": controller.port,
                "mail_from": "vern@nokbergen.example", "staff_base_url": "https://vern.example"}
    )  # fmt: skip
    yield inbox
    vern_app.state.settings = original

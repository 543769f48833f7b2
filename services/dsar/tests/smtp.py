"""A real local SMTP server (aiosmtpd) that keeps what dsar sends, for the reminders' and the
e-mail proofs' tests (the `smtp_server` fixture in conftest.py)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI

from vern.dsar.config import DsarSettings

SENDER = "vern@nokbergen.example"
logging.getLogger("mail.log").setLevel(logging.WARNING)


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


@contextmanager
def mail_to(
    vern_app: FastAPI, server: tuple[Controller, Inbox], **settings: Any
) -> Iterator[Inbox]:
    """dsar's SMTP settings pointed at the local server (and any other `settings`) with an
    empty inbox, restored afterwards."""
    controller, inbox = server
    inbox.messages.clear()
    inbox.recipients.clear()
    original: DsarSettings = vern_app.state.settings
    vern_app.state.settings = original.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": controller.port, "mail_from": SENDER,
                **settings}
    )  # fmt: skip
    try:
        yield inbox
    finally:
        vern_app.state.settings = original

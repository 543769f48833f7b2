"""A real local SMTP server (aiosmtpd) that keeps what dsar sends, for the reminders' and the
e-mail proofs' tests (the `smtp_server` fixture in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from fastapi import FastAPI

from vern.dsar.config import DsarSettings
from vern.kit.testing.smtp import Inbox

SENDER = "vern@nokbergen.example"


@contextmanager
def mail_to(
    vern_app: FastAPI, server: tuple[Controller, Inbox], **settings: Any
) -> Iterator[Inbox]:
    """dsar's SMTP settings pointed at the local server (and any other `settings`) with an
    empty inbox, restored afterwards."""
    controller, inbox = server
    inbox.clear()
    original: DsarSettings = vern_app.state.settings
    vern_app.state.settings = original.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": controller.port, "mail_from": SENDER,
                **settings}
    )  # fmt: skip
    try:
        yield inbox
    finally:
        vern_app.state.settings = original

"""A real local SMTP server (aiosmtpd) that collects what consent sends, and helpers to walk the
double opt-in as a subscriber would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from sqlmodel import Session as DbSession

from vern.consent.mail import service as mail_service
from vern.kit.crypto import Vault
from vern.kit.testing.smtp import Inbox as KitInbox
from vern.kit.testing.smtp import free_port

from ..conftest import PUBLIC_BASE_URL, UNSUBSCRIBE_PAGE_URL

ADDRESS = "Ingrid.Nordmann@Example.org"
NORMALISED = "ingrid.nordmann@example.org"
URL = re.compile(re.escape(PUBLIC_BASE_URL) + r"(/consent/[^\s]+)")
PAGE_LINK = re.compile(re.escape(UNSUBSCRIBE_PAGE_URL) + r"#([A-Za-z0-9_-]+)")


class Inbox(KitInbox):
    """What the SMTP server received, with the Vern links in each message."""

    def paths(self, index: int = -1) -> list[str]:
        """The Vern paths linked from a message's body; a link to the SPA's unsubscribe page
        as the path its button posts the token to."""
        body = self.messages[index].get_body(preferencelist=("plain",))
        assert body is not None
        text = body.get_content()
        links = [(m.start(), m.group(1)) for m in URL.finditer(text)]
        links += [
            (m.start(), f"/consent/unsubscribe/{m.group(1)}") for m in PAGE_LINK.finditer(text)
        ]
        return [path for _, path in sorted(links)]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def inbox(smtp_server: tuple[Controller, Inbox]) -> Inbox:
    smtp_server[1].clear()
    return smtp_server[1]


@pytest.fixture
def smtp(smtp_server: tuple[Controller, Inbox]) -> mail_service.SmtpServer:
    controller = smtp_server[0]
    return mail_service.SmtpServer(host=controller.hostname, port=controller.port, timeout=5)


async def deliver(
    db_session: DbSession, vault: Vault, smtp: mail_service.SmtpServer
) -> dict[str, int]:
    """Sends the queued e-mail as the after-commit task does (in a worker thread)."""
    return await anyio.to_thread.run_sync(
        lambda: mail_service.deliver_due(session=db_session, vault=vault, server=smtp)
    )


async def subscribe(
    client: httpx.AsyncClient, email: str = ADDRESS, list_id: str = "general"
) -> httpx.Response:
    return await client.post("/consent/subscriptions", json={"email": email, "list_id": list_id})


async def subscribe_and_confirm(
    client: httpx.AsyncClient,
    db_session: DbSession,
    vault: Vault,
    smtp: mail_service.SmtpServer,
    inbox: Inbox,
    *,
    email: str = ADDRESS,
    list_id: str = "general",
) -> dict[str, Any]:
    """Subscribes, opens the e-mailed link and presses the button; returns the confirm page."""
    response = await subscribe(client, email, list_id)
    assert response.status_code == 202, response.text
    await deliver(db_session, vault, smtp)
    [confirm_path] = inbox.paths()
    confirmed = await client.post(confirm_path)
    assert confirmed.status_code == 200, confirmed.text
    return {"confirm_path": confirm_path, "page": confirmed.text}


@pytest.fixture
def app(vern_app: FastAPI) -> FastAPI:
    return vern_app

"""E-mail proof fixtures: dsar's mail going to a real local SMTP server, and a client's proof."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from vern.kit.testing.tokens import Tokens

from ..smtp import Inbox, mail_to

PROOFS = "/dsar/me/email-proofs"


@pytest.fixture
def mailbox(vern_app: FastAPI, smtp_server: tuple[Controller, Inbox]) -> Iterator[Inbox]:
    """dsar's SMTP settings pointed at the local server, with an empty inbox."""
    with mail_to(vern_app, smtp_server) as inbox:
        yield inbox


def code_in(inbox: Inbox, index: int = -1) -> str:
    """The 6-digit code of a mail in the inbox (the last by default)."""
    found = re.search(r"\b(\d{6})\b", inbox.bodies()[index])
    assert found is not None
    return found.group(1)


async def start(client: httpx.AsyncClient, headers: dict[str, str], email: str) -> httpx.Response:
    return await client.post(PROOFS, json={"email": email}, headers=headers)


async def confirm(
    client: httpx.AsyncClient, headers: dict[str, str], proof_id: str, code: str
) -> httpx.Response:
    return await client.post(f"{PROOFS}/{proof_id}/confirm", json={"code": code}, headers=headers)


async def prove(
    client: httpx.AsyncClient, auth: Tokens, inbox: Inbox, national_id: str, email: str,
    sub: str,
) -> dict[str, Any]:  # fmt: skip
    """Proves `email` for the client with this national id and token subject."""
    headers = auth.client(national_id, sub=sub)
    started = await start(client, headers, email)
    assert started.status_code == 202, started.text
    confirmed = await confirm(client, headers, started.json()["id"], code_in(inbox))
    assert confirmed.status_code == 200, confirmed.text
    result: dict[str, Any] = confirmed.json()
    return result

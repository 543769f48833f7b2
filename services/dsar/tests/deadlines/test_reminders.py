"""Reminders by e-mail, through a real local SMTP server: 48 hours before a breach's deadline and
7 days before a request's due date, again when overdue; each once; ids and links only."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest
from sqlmodel import Session

from vern.kit.clock import today_oslo
from vern.kit.testing.tokens import Tokens

from ..breaches.conftest import DESCRIPTION, create_breach, hours_ago
from .conftest import REMINDER_TO, Inbox, add_request

pytestmark = pytest.mark.anyio
PATH = "/dsar/internal/reminders/send"


async def send(client: httpx.AsyncClient, auth: Tokens) -> dict[str, int]:
    response = await client.post(PATH, headers=auth.machine())
    assert response.status_code == 200, response.text
    result: dict[str, int] = response.json()
    return result


async def test_a_breach_is_reminded_of_48_hours_before_its_deadline_and_once_only(
    client: httpx.AsyncClient, auth: Tokens, inbox: Inbox
) -> None:
    breach = await create_breach(client, auth, detected_at=hours_ago(25).isoformat())
    assert (await send(client, auth))["sent"] == 1
    assert (await send(client, auth))["sent"] == 0
    assert inbox.recipients == [[REMINDER_TO]]
    body = inbox.bodies()[0]
    assert body.startswith("Påminnelse: Avvik")
    assert f"https://vern.example/breaches/{breach['id']}" in body


async def test_a_breach_further_than_48_hours_from_its_deadline_gets_no_reminder_yet(
    client: httpx.AsyncClient, auth: Tokens, inbox: Inbox
) -> None:
    await create_breach(client, auth, detected_at=hours_ago(23).isoformat())
    assert (await send(client, auth))["sent"] == 0
    assert inbox.messages == []


async def test_an_overdue_breach_gets_one_overdue_reminder(
    client: httpx.AsyncClient, auth: Tokens, inbox: Inbox
) -> None:
    await create_breach(client, auth, detected_at=hours_ago(73).isoformat())
    assert (await send(client, auth))["sent"] == 1
    assert (await send(client, auth))["sent"] == 0
    assert inbox.bodies()[0].startswith("Fristen er passert: Avvik")


async def test_a_breach_reminded_before_is_reminded_again_when_overdue(
    client: httpx.AsyncClient, auth: Tokens, inbox: Inbox, db_session: Session
) -> None:
    breach = await create_breach(client, auth, detected_at=hours_ago(30).isoformat())
    assert (await send(client, auth))["sent"] == 1
    await client.patch(
        f"/dsar/breaches/{breach['id']}",
        json={"detected_at": hours_ago(80).isoformat()},
        headers=auth.staff("manager"),
    )
    assert (await send(client, auth))["sent"] == 1
    assert [b.split(":")[0] for b in inbox.bodies()] == ["Påminnelse", "Fristen er passert"]


async def test_requests_are_reminded_of_7_days_before_due_and_when_overdue(
    client: httpx.AsyncClient, auth: Tokens, inbox: Inbox, db_session: Session
) -> None:
    soon = add_request(db_session, due_date=today_oslo() + timedelta(days=7))
    add_request(db_session, due_date=today_oslo() + timedelta(days=8))
    late = add_request(db_session, due_date=today_oslo() - timedelta(days=1))
    add_request(db_session, due_date=today_oslo() - timedelta(days=1), status="completed")
    assert (await send(client, auth))["sent"] == 2
    assert (await send(client, auth))["sent"] == 0
    bodies = "\n".join(inbox.bodies())
    assert f"https://vern.example/requests/{soon}" in bodies
    assert f"Fristen er passert: Henvendelse {late}" in bodies


async def test_a_reminder_the_smtp_server_did_not_take_is_sent_on_the_next_run(
    client: httpx.AsyncClient, auth: Tokens, inbox: Inbox, vern_app: object
) -> None:
    await create_breach(client, auth, detected_at=hours_ago(30).isoformat())
    working = vern_app.state.settings  # type: ignore[attr-defined]
    vern_app.state.settings = working.model_copy(update={"smtp_port": 1})  # type: ignore[attr-defined]
    assert await send(client, auth) == {"sent": 0, "failed": 1, "not_configured": False}
    vern_app.state.settings = working  # type: ignore[attr-defined]
    assert (await send(client, auth))["sent"] == 1


async def test_nothing_is_sent_without_a_reminder_address(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    await create_breach(client, auth, detected_at=hours_ago(73).isoformat())
    assert await send(client, auth) == {"sent": 0, "failed": 0, "not_configured": True}


async def test_reminders_hold_no_personal_data_and_log_none(
    client: httpx.AsyncClient,
    auth: Tokens,
    inbox: Inbox,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await create_breach(client, auth, detected_at=hours_ago(73).isoformat(),
                        measures="Ringte Kari Nordmann")  # fmt: skip
    await send(client, auth)
    captured = capfd.readouterr()
    sent = "\n".join(m.as_string() for m in inbox.messages)
    logged = captured.out + captured.err + caplog.text
    for secret in (DESCRIPTION, "Kari", "kari.nordmann", "Ola på resepsjonen", "abuse"):
        assert secret not in sent, secret
        assert secret not in logged, secret

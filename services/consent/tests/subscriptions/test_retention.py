"""Unconfirmed subscription requests expire and are deleted by the retention sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from vern.consent.consents.models import Subscriber, SuppressedAddress
from vern.consent.mail.models import MailMessage
from vern.consent.mail.service import SmtpServer
from vern.consent.subscriptions.models import Subscription
from vern.kit.clock import now_utc, oslo_date
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.testing.tokens import Tokens

from .conftest import Inbox, subscribe, subscribe_and_confirm

pytestmark = pytest.mark.anyio


async def sweep(client: httpx.AsyncClient, auth: Tokens, *, dry_run: bool) -> dict[str, Any]:
    response = await client.post(
        "/consent/internal/retention/sweep", json={"dry_run": dry_run}, headers=auth.machine()
    )
    assert response.status_code == 200, response.text
    counts: dict[str, Any] = response.json()["counts"]
    return counts


async def test_an_unconfirmed_request_expires_after_seven_days_by_default(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    before = now_utc()
    await subscribe(client)
    [subscription] = db_session.exec(select(Subscription)).all()
    assert subscription.confirmation_expires_at is not None
    assert before + timedelta(days=7) <= subscription.confirmation_expires_at
    assert subscription.confirmation_expires_at <= now_utc() + timedelta(days=7)


async def test_the_sweep_deletes_an_expired_request_with_its_address_and_keeps_no_hash(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault
) -> None:
    await subscribe(client)
    [subscription] = db_session.exec(select(Subscription)).all()
    [subscriber] = db_session.exec(select(Subscriber)).all()
    assert await sweep(client, auth, dry_run=False) == {
        "newsletter_address": 0, "unconfirmed_subscription": 0, "idempotency_record": 0,
    }  # fmt: skip
    assert db_session.get(Subscription, subscription.id) is not None  # not yet expired
    subscription.confirmation_expires_at = now_utc() - timedelta(minutes=1)
    db_session.add(subscription)
    db_session.flush()
    preview = await client.get(
        "/consent/internal/retention/preview",
        params={"until": oslo_date(now_utc()).isoformat()},
        headers=auth.machine(),
    )
    assert [i["rule"] for i in preview.json()["items"]] == ["unconfirmed_subscription"]
    assert preview.json()["items"][0]["subject_id"] == str(subscriber.id)
    assert (await sweep(client, auth, dry_run=True))["unconfirmed_subscription"] == 1
    assert db_session.get(Subscription, subscription.id) is not None
    assert (await sweep(client, auth, dry_run=False))["unconfirmed_subscription"] == 1
    assert db_session.exec(select(Subscription)).all() == []
    assert db_session.exec(select(Subscriber)).all() == []
    assert db_session.exec(select(MailMessage)).all() == []
    assert db_session.exec(select(SuppressedAddress)).all() == []
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(str(subscriber.id), subscriber.email_ct, context="subscriber.email")


async def test_an_expired_request_for_a_second_list_leaves_the_confirmed_one(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    vault: Vault,
    smtp: SmtpServer,
    inbox: Inbox,
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    await subscribe(client, list_id="partners")
    pending = db_session.exec(select(Subscription).where(Subscription.status == "pending")).one()
    pending.confirmation_expires_at = now_utc() - timedelta(minutes=1)
    db_session.add(pending)
    db_session.flush()
    assert (await sweep(client, auth, dry_run=False))["unconfirmed_subscription"] == 1
    [left] = db_session.exec(select(Subscription)).all()
    assert (left.list_id, left.status) == ("general", "confirmed")


async def test_the_preview_dates_a_pending_request_on_the_day_its_link_expires(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    await subscribe(client)
    [subscription] = db_session.exec(select(Subscription)).all()
    assert subscription.confirmation_expires_at is not None
    expires = oslo_date(subscription.confirmation_expires_at)
    early = await client.get(
        "/consent/internal/retention/preview",
        params={"until": (expires - timedelta(days=1)).isoformat()},
        headers=auth.machine(),
    )
    assert early.json()["items"] == []
    due = await client.get(
        "/consent/internal/retention/preview",
        params={"until": expires.isoformat()},
        headers=auth.machine(),
    )
    assert [i["due_date"] for i in due.json()["items"]] == [expires.isoformat()]

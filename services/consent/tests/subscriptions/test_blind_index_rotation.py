"""Rotating the blind-index key keeps the suppression list holding: an address suppressed under the
old key is neither found missing nor lifted without its own confirmation, during the rotation or
after the re-index; unsubscribe links mailed before the rotation keep working."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import nullcontext

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.consent.blindindex import email_index
from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import Subscriber, SuppressedAddress
from vern.consent.mail.service import SmtpServer
from vern.consent.reindex import TABLES
from vern.consent.subscriptions import tokens
from vern.consent.subscriptions.models import Subscription
from vern.kit.crypto import Vault
from vern.kit.reindex import reindex_table, remaining
from vern.kit.settings import DEV_BLIND_INDEX_KEY, DEV_KEK

from .conftest import Inbox, deliver, subscribe, subscribe_and_confirm

pytestmark = pytest.mark.anyio

KEPT = "kept@example.org"  # confirmed before the rotation; unsubscribes by an old link after it
GONE = "gone@example.org"  # unsubscribed before: only the keyed hash is left
BACK = "back@example.org"  # unsubscribed, then asked again: pending, and still suppressed
LEFT = "left@example.org"  # unsubscribed before, never back: its hash stays under the old key


def _vault(app: FastAPI, *, old: bool) -> Vault:
    return Vault(
        app.state.keystore,
        keks={"dev-1": base64.b64decode(DEV_KEK)},
        active_kek_id="dev-1",
        blind_index_key=base64.b64decode(DEV_BLIND_INDEX_KEY) if old else None,
        blind_index_keys={"2027": b"n" * 32},
        active_blind_index_key_id="2027",
    )


@pytest.fixture
def app_vault(vern_app: FastAPI) -> Iterator[FastAPI]:
    original = vern_app.state.vault
    yield vern_app
    vern_app.state.vault = original


def _subscription_of(session: Session, vault: Vault, email: str) -> Subscription:
    [subscriber] = consent_repository.find_by_email_bidx(
        session=session, email_bidx=email_index(session, vault, email)
    )
    return session.exec(
        select(Subscription).where(Subscription.subscriber_id == subscriber.id)
    ).one()


def _suppressed(session: Session, vault: Vault, email: str) -> bool:
    bidx = email_index(session, vault, email)
    return consent_repository.is_suppressed(session=session, email_bidx=bidx)


async def test_the_suppression_list_holds_while_the_blind_index_key_rotates(
    client: httpx.AsyncClient,
    db_session: Session,
    app_vault: FastAPI,
    vault: Vault,
    smtp: SmtpServer,
    inbox: Inbox,
) -> None:
    for email in (KEPT, GONE, BACK, LEFT):
        inbox.clear()
        await subscribe_and_confirm(client, db_session, vault, smtp, inbox, email=email)
    kept_link = tokens.unsubscribe_token(vault, _subscription_of(db_session, vault, KEPT))
    for email in (GONE, BACK, LEFT):
        token = tokens.unsubscribe_token(vault, _subscription_of(db_session, vault, email))
        assert (await client.post(f"/consent/unsubscribe/{token}")).status_code == 200
    inbox.clear()
    app_vault.state.form_rate_limiter.reset()  # the public form allows 5 a minute per network
    assert (await subscribe(client, BACK)).status_code == 202  # pending, suppressed till confirmed

    during = _vault(app_vault, old=True)
    app_vault.state.vault = during
    assert _suppressed(db_session, during, GONE)
    assert _suppressed(db_session, during, BACK)
    assert (await subscribe(client, GONE)).status_code == 202  # asking again does not lift it
    assert _suppressed(db_session, during, GONE)

    subscribers = TABLES[0]
    done = reindex_table(lambda: nullcontext(db_session), during, subscribers, batch_size=1)

    # KEPT, BACK, and GONE's new request, made under the value its suppression is stored under
    assert done.rewritten == 3
    assert remaining(lambda: nullcontext(db_session), during, subscribers) == 0
    stored = [s.email_bidx for s in db_session.exec(select(Subscriber))]
    assert all(bidx.startswith("2027:") for bidx in stored)
    entries = {e.email_bidx for e in db_session.exec(select(SuppressedAddress))}
    assert email_index(db_session, during, BACK) in entries  # moved with its subscriber
    assert _suppressed(db_session, during, GONE)
    assert _suppressed(db_session, during, BACK)
    assert _suppressed(db_session, during, LEFT)
    assert sum(":" not in bidx for bidx in entries) == 1  # LEFT's: no address to recompute it
    await deliver(db_session, during, smtp)
    confirm_back = next(p for p in inbox.paths(0) if "/confirm" in p)
    assert (await client.post(confirm_back)).status_code == 200
    assert not _suppressed(db_session, during, BACK)  # lifted by its own confirmation only

    assert (await client.post(f"/consent/unsubscribe/{kept_link}")).status_code == 200
    assert _suppressed(db_session, during, KEPT)
    assert not consent_repository.find_by_email_bidx(
        session=db_session, email_bidx=email_index(db_session, during, KEPT)
    )

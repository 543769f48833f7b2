"""The public newsletter pages: double opt-in over a real SMTP server, confirming only by POST,
answers that reveal nothing, truncated IPs, the rate limit, and one-click unsubscribe."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select

from vern.consent.consents.models import ConsentEvent, LegalText, Subscriber, SuppressedAddress
from vern.consent.mail.models import MailMessage
from vern.consent.mail.service import SmtpServer
from vern.consent.subscriptions import tokens
from vern.consent.subscriptions.models import Subscription
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.testing.tokens import Tokens

from ..conftest import PUBLIC_BASE_URL, UNSUBSCRIBE_PAGE_URL
from .conftest import (
    ADDRESS,
    NORMALISED,
    Inbox,
    deliver,
    subscribe,
    subscribe_and_confirm,
)

pytestmark = pytest.mark.anyio


def only_subscription(db_session: Session) -> Subscription:
    [subscription] = db_session.exec(select(Subscription)).all()
    return subscription


def unsubscribe_path(vault: Vault, subscription: Subscription) -> str:
    return f"/consent/unsubscribe/{tokens.unsubscribe_token(vault, subscription)}"


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[ >]", html))


# -- subscribing (double opt-in) ------------------------------------------------------------


async def test_subscribing_sends_a_confirmation_email_and_confirms_nothing_yet(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    response = await subscribe(client)
    assert response.status_code == 202
    assert response.json()["status"] == "confirmation_sent"
    assert only_subscription(db_session).status == "pending"
    assert await deliver(db_session, vault, smtp) == {"delivered": 1, "failed": 0, "dropped": 0}
    assert inbox.recipients == [[NORMALISED]]
    [path] = inbox.paths()
    assert path.startswith("/consent/subscriptions/confirm/")
    assert db_session.exec(select(MailMessage)).all() == []  # sent mail is not kept
    assert db_session.exec(select(ConsentEvent)).all() == []  # no consent before confirmation


async def test_opening_the_confirmation_link_does_not_confirm_so_link_scanners_cannot(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe(client)
    await deliver(db_session, vault, smtp)
    [path] = inbox.paths()
    for _ in range(2):
        page = await client.get(path)
        assert page.status_code == 200
        assert 'method="post"' in page.text
    assert only_subscription(db_session).status == "pending"


async def test_pressing_confirm_records_the_consent_with_the_text_shown_and_the_list(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe(client, list_id="partners")
    await deliver(db_session, vault, smtp)
    [path] = inbox.paths()
    shown = (await client.get(path)).text
    confirmed = await client.post(path)
    assert confirmed.status_code == 200
    assert "samarbeidspartnere" in confirmed.text
    subscription = only_subscription(db_session)
    assert subscription.status == "confirmed"
    assert subscription.confirmation_token_hash is None
    assert subscription.unsubscribe_token_hash == tokens.unsubscribe_hash(
        vault, tokens.unsubscribe_token(vault, subscription)
    )
    [event] = db_session.exec(select(ConsentEvent)).all()
    assert (event.purpose, event.list_id, event.event, event.source) == (
        "newsletter", "partners", "given", "web_form",
    )  # fmt: skip
    legal_text = db_session.get(LegalText, event.legal_text_hash)
    assert legal_text is not None
    assert legal_text.text in shown.replace("&#34;", '"')
    again = await client.post(path)  # a used link confirms nothing more
    assert again.status_code == 404
    assert len(db_session.exec(select(ConsentEvent)).all()) == 1


async def test_an_unknown_list_is_refused_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await subscribe(client, list_id="secret")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["list_id"]


async def test_an_invalid_address_is_refused_without_echoing_it_or_storing_anything(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    response = await subscribe(client, email="ikke-en-adresse@")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    assert "ikke-en-adresse" not in response.text
    assert db_session.exec(select(Subscriber)).all() == []


async def test_subscribing_an_address_already_subscribed_reveals_nothing(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    fresh = await subscribe(client, email="ny@example.org")
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    pending = await subscribe(client, email="venter@example.org")
    known = await subscribe(client)
    answers = {(r.status_code, r.text) for r in (fresh, pending, known)}
    assert len(answers) == 1
    # Every request queues exactly one e-mail: the known address gets a notice, not a link.
    assert len(db_session.exec(select(MailMessage)).all()) == 2
    inbox.clear()
    await deliver(db_session, vault, smtp)
    notice = next(m for m in inbox.messages if m["To"] == NORMALISED)
    assert "allerede" in str(notice["Subject"])


async def test_a_new_request_replaces_the_confirmation_link(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe(client)
    await subscribe(client)
    await deliver(db_session, vault, smtp)
    first, second = inbox.paths(0)[0], inbox.paths(1)[0]
    assert (await client.post(first)).status_code == 404
    assert (await client.post(second)).status_code == 200


async def test_an_expired_confirmation_link_confirms_nothing(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe(client)
    await deliver(db_session, vault, smtp)
    subscription = only_subscription(db_session)
    subscription.confirmation_expires_at = now_utc() - timedelta(seconds=1)
    db_session.add(subscription)
    db_session.flush()
    [path] = inbox.paths()
    assert (await client.get(path)).status_code == 404
    assert (await client.post(path)).status_code == 404
    assert only_subscription(db_session).status == "pending"


async def test_a_suppressed_address_is_lifted_only_by_its_own_confirmation(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    await client.post(unsubscribe_path(vault, only_subscription(db_session)))
    assert len(db_session.exec(select(SuppressedAddress)).all()) == 1
    inbox.clear()
    await subscribe(client)
    assert len(db_session.exec(select(SuppressedAddress)).all()) == 1  # asking is not enough
    await deliver(db_session, vault, smtp)
    [path] = inbox.paths()
    await client.post(path)
    assert db_session.exec(select(SuppressedAddress)).all() == []
    assert only_subscription(db_session).status == "confirmed"


# -- the requester's IP, and the rate limit -------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "stored"),
    [
        ("195.159.103.82", "195.159.103.0/24"),
        ("2001:db8:1234:5678:9abc::1", "2001:db8:1234::/48"),
        ("::ffff:195.159.103.82", "195.159.103.0/24"),
    ],
)
async def test_the_requesters_ip_is_stored_truncated_never_whole(
    client: httpx.AsyncClient, vern_app: FastAPI, db_session: Session, ip: str, stored: str
) -> None:
    transport = httpx.ASGITransport(app=vern_app, client=(ip, 4711))
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as remote:
        assert (await subscribe(remote)).status_code == 202
    assert only_subscription(db_session).ip_network == stored
    full = ip.removeprefix("::ffff:")
    for table in ("subscription", "subscriber", "audit_event", "mail_message"):
        rows = db_session.connection().exec_driver_sql(f"SELECT * FROM {table}").all()  # noqa: S608
        assert full not in repr(rows)


async def test_too_many_requests_from_one_network_get_429_with_retry_after(
    client: httpx.AsyncClient, vern_app: FastAPI, db_session: Session
) -> None:
    answers = [
        (await subscribe(client, email=f"person{n}@example.org")).status_code for n in range(6)
    ]
    assert answers == [202] * 5 + [429]
    refused = await subscribe(client, email="person9@example.org")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["content-type"] == "application/problem+json"
    assert len(db_session.exec(select(Subscription)).all()) == 5
    # Another network is not held back by this one.
    transport = httpx.ASGITransport(app=vern_app, client=("198.51.100.7", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as other:
        assert (await subscribe(other, email="annen@example.org")).status_code == 202


# -- one-click unsubscribe (RFC 8058) -------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"List-Unsubscribe": "One-Click"}},
        {"files": {"List-Unsubscribe": (None, "One-Click")}},
        {},
    ],
    ids=["form-urlencoded", "multipart", "empty"],
)
async def test_a_one_click_post_without_cookies_or_login_unsubscribes_and_answers_200(
    client: httpx.AsyncClient,
    db_session: Session,
    vault: Vault,
    smtp: SmtpServer,
    inbox: Inbox,
    body: dict[str, Any],
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    path = unsubscribe_path(vault, only_subscription(db_session))
    client.cookies.clear()
    response = await client.post(path, follow_redirects=False, **body)
    assert response.status_code == 200
    assert "location" not in response.headers
    assert "meldt av" in response.text
    assert db_session.exec(select(Subscription)).all() == []
    assert db_session.exec(select(Subscriber)).all() == []


async def test_opening_the_unsubscribe_link_unsubscribes_no_one(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    path = unsubscribe_path(vault, only_subscription(db_session))
    page = await client.get(path)
    assert page.status_code == 200
    assert "Meld meg av" in page.text
    assert only_subscription(db_session).status == "confirmed"


async def test_an_unknown_or_used_token_gets_the_same_answer(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    path = unsubscribe_path(vault, only_subscription(db_session))
    first = await client.post(path)
    used = await client.post(path)
    unknown = await client.post("/consent/unsubscribe/" + "0" * 64)
    odd = await client.post("/consent/unsubscribe/not-a-token!")
    assert {(r.status_code, r.text) for r in (first, used, unknown, odd)} == {(200, first.text)}


async def test_unsubscribing_from_one_list_keeps_the_other_and_records_the_withdrawal(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox, list_id="partners")
    partners = db_session.exec(select(Subscription).where(Subscription.list_id == "partners")).one()
    await client.post(unsubscribe_path(vault, partners))
    assert [s.list_id for s in db_session.exec(select(Subscription)).all()] == ["general"]
    events = db_session.exec(select(ConsentEvent).order_by(col(ConsentEvent.recorded_at))).all()
    assert [(e.list_id, e.event) for e in events][-1] == ("partners", "withdrawn")
    assert db_session.exec(select(SuppressedAddress)).all() == []  # still receives general


async def test_list_unsubscribe_headers_point_at_the_one_click_endpoint(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    subscription = only_subscription(db_session)
    headers = tokens.list_unsubscribe_headers(
        base_url="https://vern.example.no",
        token=tokens.unsubscribe_token(vault, subscription),
        mailto="avmelding@example.no",
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = headers["List-Unsubscribe"].split(", ")
    assert https == f"<https://vern.example.no{unsubscribe_path(vault, subscription)}>"
    assert mailto.startswith("<mailto:avmelding@example.no?subject=unsubscribe")
    assert "example.org" not in headers["List-Unsubscribe"]


# -- a new link for someone who lost theirs --------------------------------------------------


async def test_the_lost_link_page_mails_the_unsubscribe_links_and_reveals_nothing(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    inbox.clear()
    known = await client.post("/consent/unsubscribe", data={"email": ADDRESS})
    unknown = await client.post("/consent/unsubscribe", data={"email": "ukjent@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    await deliver(db_session, vault, smtp)
    assert inbox.recipients == [[NORMALISED]]
    [path] = inbox.paths()
    assert path == unsubscribe_path(vault, only_subscription(db_session))
    await client.post(path)
    assert db_session.exec(select(Subscriber)).all() == []


async def test_mailed_unsubscribe_links_open_the_apps_page_with_the_token_after_the_hash(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    inbox.clear()
    await client.post("/consent/unsubscribe", data={"email": ADDRESS})
    await deliver(db_session, vault, smtp)
    body = inbox.messages[-1].get_body(preferencelist=("plain",))
    assert body is not None
    token = tokens.unsubscribe_token(vault, only_subscription(db_session))
    assert f"{UNSUBSCRIBE_PAGE_URL}#{token}" in body.get_content()
    assert "/consent/unsubscribe/" not in body.get_content()


def test_without_an_app_page_mailed_links_open_consents_own_page() -> None:
    link = tokens.unsubscribe_link(base_url=PUBLIC_BASE_URL, page_url=None, token="t" * 43)
    assert link == f"{PUBLIC_BASE_URL}/consent/unsubscribe/{'t' * 43}"


async def test_the_lost_link_page_refuses_an_invalid_address_without_echoing_it(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/consent/unsubscribe", data={"email": "hemmelig@"})
    assert response.status_code == 422
    assert "hemmelig" not in response.text
    assert 'aria-invalid="true"' in response.text


# -- the pages themselves ---------------------------------------------------------------------


async def test_every_public_page_is_norwegian_accessible_and_script_free(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    done = await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    path = unsubscribe_path(vault, only_subscription(db_session))
    pages = [
        await client.get("/consent/unsubscribe"),
        await client.get("/consent/subscribe"),
        await client.get(path),
        await client.get(done["confirm_path"]),  # used: the invalid-link page
        await client.post(path),
    ]
    for response in pages:
        html = response.text
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="nb">' in html
        assert h1_count(html) == 1
        assert "<script" not in html
        assert "style=" not in html
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "script-src" not in csp
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
        assert "example.org" not in html
    form = pages[0].text
    assert '<label for="email">' in form
    assert 'id="email"' in form


async def test_mail_that_cannot_be_sent_stays_queued_for_a_retry(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    await subscribe(client)
    closed = SmtpServer(host="127.0.0.1", port=1, timeout=2)
    assert await deliver(db_session, vault, closed) == {"delivered": 0, "failed": 1, "dropped": 0}
    [queued] = db_session.exec(select(MailMessage)).all()
    assert queued.attempts == 1
    assert queued.next_attempt_at > now_utc()
    assert "example.org" not in (queued.last_error or "")


async def test_the_scheduler_can_send_what_is_still_queued(
    client: httpx.AsyncClient,
    auth: Tokens,
    vern_app: FastAPI,
    db_session: Session,
    smtp: SmtpServer,
    inbox: Inbox,
) -> None:
    await subscribe(client)
    settings = vern_app.state.settings
    saved = (settings.smtp_host, settings.smtp_port)
    settings.smtp_host, settings.smtp_port = smtp.host, smtp.port
    try:
        response = await client.post("/consent/internal/outbox/deliver", headers=auth.machine())
    finally:
        settings.smtp_host, settings.smtp_port = saved
    assert response.json() == {"delivered": 1, "failed": 0, "dropped": 0}
    assert inbox.recipients == [[NORMALISED]]
    assert (
        await client.post("/consent/internal/outbox/deliver", headers=auth.staff("manager"))
    ).status_code == 403


async def test_a_sender_gets_the_unsubscribe_headers_of_a_confirmed_subscription_by_id(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    vault: Vault,
    smtp: SmtpServer,
    inbox: Inbox,
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    subscription = only_subscription(db_session)
    path = f"/consent/internal/subscriptions/{subscription.id}/unsubscribe-headers"
    response = await client.get(path, headers=auth.machine())
    assert response.status_code == 200
    assert response.json() == {
        "List-Unsubscribe": f"<https://vern.example.no{unsubscribe_path(vault, subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    await client.post(unsubscribe_path(vault, subscription))
    assert (await client.get(path, headers=auth.machine())).status_code == 404


async def test_the_subscription_form_starts_the_same_double_opt_in_and_reveals_nothing(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    form = (await client.get("/consent/subscribe")).text
    for list_id in ("general", "partners"):
        assert f'<label for="list-{list_id}">' in form
    assert "<legend>" in form
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    known = await client.post("/consent/subscribe", data={"email": ADDRESS, "list_id": "general"})
    fresh = await client.post(
        "/consent/subscribe", data={"email": "ny@example.org", "list_id": "partners"}
    )
    assert known.status_code == fresh.status_code == 200
    assert known.text == fresh.text
    pending = db_session.exec(select(Subscription).where(Subscription.status == "pending")).one()
    assert pending.list_id == "partners"
    bad = await client.post("/consent/subscribe", data={"email": "hemmelig@", "list_id": "x"})
    assert bad.status_code == 422
    assert "hemmelig" not in bad.text


async def test_no_log_line_shows_a_mailed_links_token(
    client: httpx.AsyncClient,
    db_session: Session,
    vault: Vault,
    smtp: SmtpServer,
    inbox: Inbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await subscribe(client)
    await deliver(db_session, vault, smtp)
    [confirm_path] = inbox.paths()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    assert (await client.post(confirm_path)).status_code == 200
    unsubscribe = unsubscribe_path(vault, only_subscription(db_session))
    assert (await client.post(unsubscribe)).status_code == 200
    routes = [r.msg["route"] for r in caplog.records if r.name == "vern.access"]
    assert routes == ["/consent/subscriptions/confirm/{token}", "/consent/unsubscribe/{token}"]
    for path in (confirm_path, unsubscribe):
        assert path.rsplit("/", 1)[1] not in caplog.text

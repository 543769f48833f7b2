"""E-mail to subscribers, through a durable outbox: queued in the request's transaction, sent over
SMTP (aiosmtplib) right after the commit, retried with backoff by `deliver_due` until the server
takes it, then deleted. Each delivery claims its messages first, so deliveries running at once
never send the same message twice; a lost process loses no e-mail, and the worst case is one
repeat after its claim runs out."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING, Any

import aiosmtplib
import anyio.from_thread
from sqlmodel import Session

from vern.consent.mail import repository as mail_repository
from vern.consent.mail.models import MailMessage
from vern.consent.rendering import render
from vern.kit.clock import now_utc, oslo_date
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.logging import get_logger

if TYPE_CHECKING:
    from vern.consent.subscriptions.service import Links

log = get_logger(__name__)
CONTEXT = "mail_message"
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=5)
QUEUED = "vern.consent.mail.queued"  # session.info key: the ids this request queued


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    start_tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def _enqueue(
    session: Session,
    vault: Vault,
    *,
    subscriber_id: uuid.UUID,
    kind: str,
    to: str,
    sender: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
) -> MailMessage:
    now = now_utc()
    sealed = json.dumps(
        {"to": to, "from": sender, "subject": subject, "body": body, "headers": headers or {}}
    )
    message = MailMessage(
        subscriber_id=subscriber_id,
        kind=kind,
        sealed=vault.encrypt(str(subscriber_id), sealed, context=CONTEXT) or "",
        created_at=now,
        next_attempt_at=now,
    )
    session.add(message)
    session.flush()
    session.info.setdefault(QUEUED, []).append(message.id)
    return message


def enqueue_confirmation(
    *, session: Session, vault: Vault, subscriber_id: uuid.UUID, to: str, links: Links,
    list_name: str, confirm_url: str, expires_at: datetime,
) -> MailMessage:  # fmt: skip
    """The double opt-in e-mail: a link to a page where the subscription is confirmed."""
    body = render(
        "mail/confirmation.txt", list_name=list_name, confirm_url=confirm_url,
        expires=oslo_date(expires_at).strftime("%d.%m.%Y"),
    )  # fmt: skip
    return _enqueue(
        session, vault, subscriber_id=subscriber_id, kind="confirmation", to=to,
        sender=links.mail_from, subject=f"Bekreft påmeldingen til {list_name}", body=body,
    )  # fmt: skip


def enqueue_already_subscribed(
    *, session: Session, vault: Vault, subscriber_id: uuid.UUID, to: str, links: Links,
    list_name: str, unsubscribe_url: str,
) -> MailMessage:  # fmt: skip
    """Sent instead of a confirmation when the address already subscribes."""
    body = render(
        "mail/already_subscribed.txt", list_name=list_name, unsubscribe_url=unsubscribe_url
    )
    return _enqueue(
        session, vault, subscriber_id=subscriber_id, kind="already_subscribed", to=to,
        sender=links.mail_from, subject=f"Du får allerede {list_name}", body=body,
    )  # fmt: skip


def enqueue_unsubscribe_links(
    *, session: Session, vault: Vault, subscriber_id: uuid.UUID, to: str, links: Links,
    lists: Sequence[tuple[str, str]],
) -> MailMessage:  # fmt: skip
    """The unsubscribe links of every list the address receives (for someone who lost them)."""
    body = render("mail/unsubscribe_links.txt", lists=lists)
    return _enqueue(
        session, vault, subscriber_id=subscriber_id, kind="unsubscribe_links", to=to,
        sender=links.mail_from, subject="Lenke for å melde deg av nyhetsbrev", body=body,
    )  # fmt: skip


def _as_email(sealed: dict[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sealed["from"]
    message["To"] = sealed["to"]
    message["Subject"] = sealed["subject"]
    message["Date"] = format_datetime(now_utc())
    message["Message-ID"] = make_msgid(domain=str(sealed["from"]).rpartition("@")[2] or None)
    for name, value in sealed["headers"].items():
        message[name] = value
    message.set_content(sealed["body"])
    return message


async def send(server: SmtpServer, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=server.host,
        port=server.port,
        start_tls=server.start_tls,
        username=server.username,
        password=server.password,
        timeout=server.timeout,
    )


def deliver_due(
    *,
    session: Session,
    vault: Vault,
    server: SmtpServer,
    only: Sequence[uuid.UUID] | None = None,
    limit: int = 100,
) -> dict[str, int]:
    """Sends the e-mail whose time has come (from a worker thread: the SMTP call is async),
    deletes what was sent and backs off what failed.

    Delivery owns its transactions, on the session it is given: it first claims the messages and
    commits the claim (a lease on `next_attempt_at`), so a delivery running at the same time
    skips them; then it settles each message in a commit of its own right after its SMTP call,
    so a message is deleted once and sent again only if this process dies mid-way and its lease
    runs out."""
    counts = {"delivered": 0, "failed": 0, "dropped": 0}
    now = now_utc()
    due = mail_repository.claim_due(
        session=session, now=now, lease_until=now + _lease(server, limit), only=only, limit=limit
    )
    claimed = [(m.id, m.subscriber_id, m.sealed, m.attempts) for m in due]
    session.commit()
    for message_id, subscriber_id, sealed_text, attempts in claimed:
        try:
            sealed = json.loads(
                vault.decrypt(str(subscriber_id), sealed_text, context=CONTEXT) or "{}"
            )
        except SubjectKeyMissing:
            mail_repository.delete(session=session, message_id=message_id)
            session.commit()
            counts["dropped"] += 1
            continue
        try:
            anyio.from_thread.run(send, server, _as_email(sealed))
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            error = type(exc).__name__  # never the server's text: it may echo the address
            mail_repository.back_off(
                session=session, message_id=message_id, error=error,
                next_attempt_at=now_utc() + min(
                    timedelta(seconds=30 * 2 ** (attempts + 1)), MAX_BACKOFF
                ),
            )  # fmt: skip
            session.commit()
            counts["failed"] += 1
            log.warning("mail delivery failed", message_id=str(message_id),
                        attempts=attempts + 1, error=error)  # fmt: skip
            continue
        mail_repository.delete(session=session, message_id=message_id)
        session.commit()
        counts["delivered"] += 1
    return counts


def _lease(server: SmtpServer, limit: int) -> timedelta:
    """How long a claim keeps other deliveries away: long enough to try every claimed message."""
    return LEASE + timedelta(seconds=server.timeout) * limit


def queued_ids(session: Session) -> list[uuid.UUID]:
    """The ids of the messages queued in this session since the last call (and forgets them)."""
    ids: list[uuid.UUID] = session.info.pop(QUEUED, [])
    return ids

"""E-mail to subscribers, through a durable outbox: queued in the request's transaction, sent over
SMTP (aiosmtplib) right after the commit, retried with backoff by `deliver_due` until the server
takes it, then deleted. A lost process loses no e-mail; the worst case is a repeat."""

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
    """Sends the e-mail whose time has come (from a worker thread: the SMTP call is async);
    deletes what was sent and backs off what failed. The caller commits."""
    counts = {"delivered": 0, "failed": 0, "dropped": 0}
    for message in mail_repository.due(session=session, now=now_utc(), only=only, limit=limit):
        try:
            sealed = json.loads(
                vault.decrypt(str(message.subscriber_id), message.sealed, context=CONTEXT) or "{}"
            )
        except SubjectKeyMissing:
            mail_repository.delete(session=session, message=message)
            counts["dropped"] += 1
            continue
        try:
            anyio.from_thread.run(send, server, _as_email(sealed))
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            message.attempts += 1
            message.last_error = type(
                exc
            ).__name__  # never the server's text: it may echo the address
            message.next_attempt_at = now_utc() + min(
                timedelta(seconds=30 * 2**message.attempts), MAX_BACKOFF
            )
            session.add(message)
            counts["failed"] += 1
            log.warning("mail delivery failed", message_id=str(message.id),
                        attempts=message.attempts, error=message.last_error)  # fmt: skip
            continue
        mail_repository.delete(session=session, message=message)
        counts["delivered"] += 1
    session.flush()
    return counts

"""dsar's e-mail over its SMTP server (`DSAR_SMTP_*`): the deadline reminders to the handler and the
codes that prove a client's address. One message shape and one way of sending for both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import aiosmtplib
import anyio.from_thread

from vern.dsar.config import DsarSettings
from vern.kit.clock import OSLO

# What a refused or unreachable SMTP server raises: callers log the class only (a server's text
# may echo an address).
SEND_ERRORS: tuple[type[BaseException], ...] = (aiosmtplib.SMTPException, OSError, TimeoutError)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    sender: str
    start_tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def smtp_server_of(settings: DsarSettings) -> SmtpServer:
    """The SMTP server and sender from settings."""
    return SmtpServer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        start_tls=settings.smtp_start_tls,
        username=settings.smtp_username,
        password=settings.smtp_password,
        timeout=settings.smtp_timeout_seconds,
    )


def message(server: SmtpServer, *, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from dsar's sender, dated now (Oslo)."""
    mail = EmailMessage()
    mail["From"] = server.sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime.now(OSLO))
    mail["Message-ID"] = make_msgid(domain=server.sender.rpartition("@")[2] or None)
    mail.set_content(body)
    return mail


def send(server: SmtpServer, mail: EmailMessage) -> None:
    """Sends from a worker thread (the SMTP client is async); raises one of `SEND_ERRORS`."""
    anyio.from_thread.run(_send, server, mail)


async def _send(server: SmtpServer, mail: EmailMessage) -> None:
    await aiosmtplib.send(
        mail,
        hostname=server.host,
        port=server.port,
        start_tls=server.start_tls,
        username=server.username,
        password=server.password,
        timeout=server.timeout,
    )

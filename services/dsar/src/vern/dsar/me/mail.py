"""The e-mail with a proof's code, in bokmål, over dsar's SMTP server (the reminders' settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import aiosmtplib
import anyio.from_thread

from vern.dsar.config import DsarSettings
from vern.kit.clock import OSLO
from vern.kit.errors import UpstreamUnavailable
from vern.kit.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str
    start_tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def mailer_of(settings: DsarSettings) -> Mailer:
    """The SMTP server and sender from settings."""
    return Mailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        start_tls=settings.smtp_start_tls,
        username=settings.smtp_username,
        password=settings.smtp_password,
        timeout=settings.smtp_timeout_seconds,
    )


def _message(mailer: Mailer, *, to: str, code: str, expires_at: datetime) -> EmailMessage:
    until = expires_at.astimezone(OSLO).strftime("%H:%M")
    message = EmailMessage()
    message["From"] = mailer.sender
    message["To"] = to
    message["Subject"] = f"Din kode er {code}"
    message["Date"] = format_datetime(datetime.now(OSLO))
    message["Message-ID"] = make_msgid(domain=mailer.sender.rpartition("@")[2] or None)
    message.set_content(
        f"Koden for å bekrefte e-postadressen din i Mine opplysninger er:\n\n    {code}\n\n"
        f"Koden kan brukes til kl. {until} (norsk tid).\n\n"
        "Har du ikke bedt om denne koden, kan du se bort fra e-posten. "
        "Ikke gi koden til noen andre.\n"
    )
    return message


def send_code(mailer: Mailer, *, to: str, code: str, expires_at: datetime) -> None:
    """Sends the code (from a worker thread: the SMTP call is async); 503 if it cannot be sent,
    so the client may ask again."""
    message = _message(mailer, to=to, code=code, expires_at=expires_at)
    try:
        anyio.from_thread.run(_send, mailer, message)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        # The exception's class only: a server's text may echo the address.
        log.warning("email proof code not sent", error=type(exc).__name__)
        raise UpstreamUnavailable("the code could not be sent; try again shortly") from None


async def _send(mailer: Mailer, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=mailer.host,
        port=mailer.port,
        start_tls=mailer.start_tls,
        username=mailer.username,
        password=mailer.password,
        timeout=mailer.timeout,
    )

"""The e-mail with a proof's code, in bokmål, over dsar's SMTP server (the reminders' settings)."""

from __future__ import annotations

from datetime import datetime

from vern.dsar import mail
from vern.kit.clock import OSLO
from vern.kit.errors import UpstreamUnavailable
from vern.kit.logging import get_logger

log = get_logger(__name__)


def send_code(server: mail.SmtpServer, *, to: str, code: str, expires_at: datetime) -> None:
    """Sends the code; 503 if it cannot be sent, so the client may ask again."""
    until = expires_at.astimezone(OSLO).strftime("%H:%M")
    body = (
        f"Koden for å bekrefte e-postadressen din i Mine opplysninger er:\n\n    {code}\n\n"
        f"Koden kan brukes til kl. {until} (norsk tid).\n\n"
        "Har du ikke bedt om denne koden, kan du se bort fra e-posten. "
        "Ikke gi koden til noen andre.\n"
    )
    try:
        mail.send(server, mail.message(server, to=to, subject=f"Din kode er {code}", body=body))
    except mail.SEND_ERRORS as exc:
        # The exception's class only: a server's text may echo the address.
        log.warning("email proof code not sent", error=type(exc).__name__)
        raise UpstreamUnavailable("the code could not be sent; try again shortly") from None

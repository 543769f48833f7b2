"""For tests: a real local SMTP server's handler (aiosmtpd) that keeps what a service sends."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session

from vern.kit.testing import free_port

__all__ = ["Inbox", "free_port"]

# The test server's own log would print the addresses it receives.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Inbox:
    """An aiosmtpd handler: what the server received, as parsed messages and their recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def clear(self) -> None:
        self.messages.clear()
        self.recipients.clear()

    def bodies(self) -> list[str]:
        """Each message's subject and plain-text body."""
        out = []
        for message in self.messages:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            out.append(f"{message['Subject']}\n{body.get_content()}")
        return out

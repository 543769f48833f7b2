"""Reminders by e-mail about the deadlines dsar keeps: 48 hours before a breach's deadline and
7 days before a request's due date, and again once overdue. Each is sent once (recorded after
the SMTP server took it) and names ids, times and links only, never anything about a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlmodel import Session

from vern.dsar import mail
from vern.dsar.deadlines import service as deadline_service
from vern.dsar.reminders import repository as reminder_repository
from vern.dsar.reminders.models import DeadlineReminder, ReminderStage
from vern.dsar.reminders.schemas import ReminderRun
from vern.kit.clock import OSLO, oslo_date
from vern.kit.contract import Deadline
from vern.kit.logging import get_logger
from vern.kit.orgprofile.schema import OrgProfile

log = get_logger(__name__)

BREACH_LEAD_TIME = timedelta(hours=48)
REQUEST_LEAD_DAYS = 7
_WHAT_NB = {
    "breach_authority": "Avvik {ref} skal meldes til Datatilsynet",
    "breach_subjects": "De berørte av avvik {ref} skal varsles",
    "request_answer": "Henvendelse {ref} skal besvares",
    "request_extension_notice": "Den registrerte skal få beskjed om forlenget frist for {ref}",
}


@dataclass(frozen=True)
class Mailer:
    """Where reminders go: dsar's SMTP server, the handlers' address, the app's base URL."""

    server: mail.SmtpServer
    to: str
    base_url: str


def stage_at(deadline: Deadline, now: datetime) -> ReminderStage | None:
    """Overdue once the deadline has passed; approaching within its lead time: 48 elapsed hours
    for a breach, 7 calendar days (Oslo) for a request, whose due date is a date."""
    if now > deadline.due_at:
        return ReminderStage.overdue
    if deadline.kind.startswith("breach"):
        approaching = now >= deadline.due_at - BREACH_LEAD_TIME
    else:
        approaching = (oslo_date(deadline.due_at) - oslo_date(now)).days <= REQUEST_LEAD_DAYS
    return ReminderStage.approaching if approaching else None


def send_due(
    *, session: Session, profile: OrgProfile, mailer: Mailer, now: datetime
) -> ReminderRun:
    """Sends the reminders whose time has come and that were not sent before (from a worker
    thread: the SMTP call is async). What the SMTP server refuses is tried again next run."""
    sent = failed = 0
    for deadline in deadline_service.open_deadlines(session=session, profile=profile):
        stage = stage_at(deadline, now)
        if stage is None or reminder_repository.was_sent(
            session=session, kind=deadline.kind, ref=deadline.ref, stage=stage,
            due_at=deadline.due_at,
        ):  # fmt: skip
            continue
        try:
            mail.send(mailer.server, _message(mailer, deadline, stage))
        except mail.SEND_ERRORS as exc:
            failed += 1
            # The exception's class only: a server's text may echo an address.
            log.warning("reminder not sent", ref=deadline.ref, kind=deadline.kind,
                        error=type(exc).__name__)  # fmt: skip
            continue
        reminder_repository.add(
            session=session,
            reminder=DeadlineReminder(
                kind=deadline.kind, ref=deadline.ref, stage=stage, due_at=deadline.due_at,
                sent_at=now,
            ),
        )  # fmt: skip
        sent += 1
        log.info("reminder sent", ref=deadline.ref, kind=deadline.kind, stage=stage.value)
    return ReminderRun(sent=sent, failed=failed)


def _link(mailer: Mailer, deadline: Deadline) -> str:
    section = "breaches" if deadline.kind.startswith("breach") else "requests"
    return f"{mailer.base_url.rstrip('/')}/{section}/{deadline.ref}"


def _message(mailer: Mailer, deadline: Deadline, stage: ReminderStage) -> EmailMessage:
    what = _WHAT_NB[deadline.kind].format(ref=deadline.ref)
    at = deadline.due_at.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")
    if stage is ReminderStage.overdue:
        subject, lead = f"Fristen er passert: {what}", f"Fristen gikk ut {at} (norsk tid)."
    else:
        subject, lead = f"Påminnelse: {what}", f"Fristen er {at} (norsk tid)."
    body = (
        f"{what}.\n{lead}\n\nÅpne i Vern: {_link(mailer, deadline)}\n\n"
        "Denne e-posten er sendt automatisk av Vern og inneholder ingen personopplysninger.\n"
    )
    return mail.message(mailer.server, to=mailer.to, subject=subject, body=body)

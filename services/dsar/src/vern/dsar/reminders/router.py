"""`POST /dsar/internal/reminders/send`: e-mail the reminders whose time has come."""

from __future__ import annotations

from fastapi import APIRouter, Request

from vern.dsar.config import DsarSettings
from vern.dsar.deadlines.dependencies import Internal
from vern.dsar.mail import smtp_server_of
from vern.dsar.reminders import service as reminder_service
from vern.dsar.reminders.schemas import ReminderRun
from vern.kit.clock import now_utc
from vern.kit.db import SessionDep
from vern.kit.logging import get_logger
from vern.kit.orgprofile.schema import OrgProfile

router = APIRouter(prefix="/internal/reminders", tags=["internal"])
log = get_logger(__name__)


def _mailer(settings: DsarSettings) -> reminder_service.Mailer | None:
    if settings.reminder_to is None:
        return None
    return reminder_service.Mailer(
        server=smtp_server_of(settings), to=settings.reminder_to, base_url=settings.staff_base_url
    )


@router.post("/send", response_model=ReminderRun)
def send_reminders(request: Request, session: SessionDep, principal: Internal) -> ReminderRun:
    """Sends each deadline reminder that is due and was not sent before (the scheduler calls
    this); nothing is sent while `DSAR_REMINDER_TO` is unset."""
    mailer = _mailer(request.app.state.settings)
    if mailer is None:
        log.warning("deadline reminders are not configured: set DSAR_REMINDER_TO")
        return ReminderRun(sent=0, failed=0, not_configured=True)
    profile: OrgProfile = request.app.state.profile
    return reminder_service.send_due(session=session, profile=profile, mailer=mailer, now=now_utc())

"""The deadlines dsar keeps open: Datatilsynet's and the people's for each breach not yet
notified, and the answer to each request not yet answered. Ids and times only."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session

from vern.dsar.breaches import repository as breach_repository
from vern.dsar.breaches import service as breach_service
from vern.dsar.deadlines import repository as deadline_repository
from vern.kit.clock import OSLO
from vern.kit.contract import Deadline
from vern.kit.orgprofile.schema import OrgProfile

BREACH_OWNER = "manager"
REQUEST_OWNER = "manager"


def request_due_at(due_date: date) -> datetime:
    """A request is due at the end of its Oslo due date."""
    return datetime.combine(due_date, time(23, 59, 59), tzinfo=OSLO)


def open_deadlines(*, session: Session, profile: OrgProfile) -> list[Deadline]:
    """Every open deadline, earliest first. All of them, not only the near ones: the scheduler
    decides when to remind and closes its reminder once a deadline is no longer listed."""
    deadlines: list[Deadline] = []
    if profile.modules.breaches:
        deadlines.extend(_breach_deadlines(session, profile))
    for request_id, due_date in deadline_repository.open_requests(session=session):
        deadlines.append(
            Deadline(
                kind="request_answer",
                ref=str(request_id),
                due_at=request_due_at(due_date),
                owner_role=REQUEST_OWNER,
            )
        )
    return sorted(deadlines, key=lambda d: (d.due_at, d.kind, d.ref))


def _breach_deadlines(session: Session, profile: OrgProfile) -> list[Deadline]:
    deadlines = []
    for breach in breach_repository.awaiting_notification(session=session):
        ref = str(breach.id)
        if breach.authority_notified_at is None and breach_service.authority_notification_required(
            breach
        ):
            due_at = breach_service.authority_deadline(profile, breach.detected_at)
            deadlines.append(
                Deadline(kind="breach_authority", ref=ref, due_at=due_at, owner_role=BREACH_OWNER)
            )
        subjects_due_at = breach_service.subjects_deadline(profile, breach)
        if breach.subjects_notified_at is None and subjects_due_at is not None:
            deadlines.append(
                Deadline(
                    kind="breach_subjects", ref=ref, due_at=subjects_due_at, owner_role=BREACH_OWNER
                )
            )
    return deadlines

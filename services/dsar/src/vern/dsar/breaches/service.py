"""The rules of the breach register: the 72-hour clock, reasons for a late notification, who
sees which breach, and the timeline of every change."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from vern.dsar.breaches import repository as breach_repository
from vern.dsar.breaches.dependencies import HANDLES_BREACHES
from vern.dsar.breaches.models import Breach, BreachEvent, BreachRisk
from vern.dsar.breaches.schemas import (
    FREE_TEXT_FIELDS,
    BreachCreate,
    BreachEventRead,
    BreachRead,
    BreachUpdate,
)
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.errors import FieldError, Forbidden, InvalidInput, NotFound
from vern.kit.logging import get_logger
from vern.kit.orgprofile.schema import OrgProfile

log = get_logger(__name__)

# Clocks of the machines that report a time may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
_REQUIRED = ("detected_at", "description", "data_categories", "affected_subject_ids")


def authority_deadline(profile: OrgProfile, detected_at: datetime) -> datetime:
    """Detection plus `breach_authority_hours` elapsed hours (not calendar days): across a
    daylight-saving change the deadline's Oslo wall-clock time moves by an hour. Counted in UTC:
    adding hours to an Oslo time would add wall-clock hours."""
    return detected_at.astimezone(UTC) + timedelta(hours=profile.deadlines.breach_authority_hours)


def subjects_deadline(profile: OrgProfile, breach: Breach) -> datetime | None:
    """When the people must have been told, if the risk is high and the profile sets hours
    (otherwise Art. 34's "without undue delay" sets no clock Vern can count)."""
    hours = profile.deadlines.breach_subjects_hours
    if not subjects_notification_required(breach) or hours is None:
        return None
    return breach.detected_at.astimezone(UTC) + timedelta(hours=hours)


def authority_notification_required(breach: Breach) -> bool:
    """Datatilsynet is told unless the breach is assessed as unlikely to result in a risk; an
    unassessed breach counts as one to notify, so its clock is never forgotten."""
    return breach.risk is not BreachRisk.none


def subjects_notification_required(breach: Breach) -> bool:
    return breach.risk is BreachRisk.high_risk


def notified_late(profile: OrgProfile, breach: Breach) -> bool:
    notified = breach.authority_notified_at
    return notified is not None and notified > authority_deadline(profile, breach.detected_at)


def create(
    *, session: Session, vault: Vault, profile: OrgProfile, principal: Principal, data: BreachCreate
) -> Breach:
    """Registers a breach under its own data key and opens its timeline."""
    now = now_utc()
    if data.detected_at > now + CLOCK_SKEW:
        raise _invalid({"detected_at": "lies in the future"})
    breach_id = uuid.uuid4()
    vault.create_subject_key(str(breach_id))
    breach = Breach(
        id=breach_id,
        detected_at=data.detected_at.astimezone(UTC),
        reported_by=principal.subject,
        data_categories=[c.value for c in data.data_categories],
        affected_count=data.affected_count,
        records_count=data.records_count,
        affected_subject_ids=list(data.affected_subject_ids),
        risk=data.risk,
        created_at=now,
        updated_at=now,
    )
    given = data.model_dump(exclude_unset=True)
    for name, value in given.items():
        if name in FREE_TEXT_FIELDS:
            _seal(vault, breach, name, value)
    breach_repository.add(session=session, breach=breach)
    _append(session, breach, principal, "created", sorted(given), now)
    audit.record(
        session, principal=principal, action="breach.create", subject_type="breach",
        subject_id=breach_id,
    )  # fmt: skip
    log.info("breach registered", breach_id=str(breach_id))
    return breach


def update(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    principal: Principal,
    breach_id: uuid.UUID,
    data: BreachUpdate,
) -> Breach:
    """Checks the breach as it would be, applies the fields given, records which changed."""
    breach = _get(session, breach_id)
    given = data.model_dump(exclude_unset=True)
    missing = [name for name in _REQUIRED if name in given and given[name] is None]
    if missing:
        raise _invalid(dict.fromkeys(missing, "may not be emptied"))
    for name, value in given.items():
        if isinstance(value, datetime):
            given[name] = value.astimezone(UTC)
    _check(profile, breach, given)
    changed = [name for name, value in given.items() if _current(vault, breach, name) != value]
    for name in changed:
        value = given[name]
        if name in FREE_TEXT_FIELDS:
            _seal(vault, breach, name, value)
        elif name == "data_categories":
            breach.data_categories = [str(c) for c in value]
        else:
            setattr(breach, name, value)
    now = now_utc()
    if changed:
        breach.updated_at = now
        session.add(breach)
        _append(session, breach, principal, "updated", sorted(changed), now)
    audit.record(
        session, principal=principal, action="breach.update", subject_type="breach",
        subject_id=breach.id,
    )  # fmt: skip
    log.info("breach updated", breach_id=str(breach.id), changed=sorted(changed))
    return breach


def _check(profile: OrgProfile, breach: Breach, given: dict[str, Any]) -> None:
    """The rules that span fields, on the breach as it would be after the change (checked before
    anything is changed): no time in the future, no notification before detection, and reasons
    for a notification after the deadline (Art. 33(1))."""
    now, problems = now_utc(), {}
    moments: dict[str, datetime | None] = {
        name: given[name] if name in given else getattr(breach, name)
        for name in ("detected_at", "authority_notified_at", "subjects_notified_at")
    }
    detected_at = moments.pop("detected_at")
    assert detected_at is not None
    if detected_at > now + CLOCK_SKEW:
        problems["detected_at"] = "lies in the future"
    for name, moment in moments.items():
        if moment is not None and moment > now + CLOCK_SKEW:
            problems[name] = "lies in the future"
        elif moment is not None and moment < detected_at:
            problems[name] = "lies before the breach was detected"
    has_reasons = (
        given["late_notification_reasons"] is not None
        if "late_notification_reasons" in given
        else breach.late_notification_reasons_ct is not None
    )
    notified = moments["authority_notified_at"]
    deadline = authority_deadline(profile, detected_at)
    late = notified is not None and notified > deadline and "authority_notified_at" not in problems
    if late and not has_reasons:
        hours = profile.deadlines.breach_authority_hours
        problems["late_notification_reasons"] = (
            f"is required: Datatilsynet was notified more than {hours} hours after detection"
        )
    if problems:
        raise _invalid(problems)


def list_visible(
    *, session: Session, principal: Principal, limit: int, offset: int
) -> Sequence[Breach]:
    """Every breach for managers and the DPO; what they reported for other staff."""
    reported_by = None if principal.has_role(*HANDLES_BREACHES) else principal.subject
    breaches = breach_repository.list_all(
        session=session, reported_by=reported_by, limit=limit, offset=offset
    )
    audit.record(
        session, principal=principal, action="breach.list", subject_type="breach", subject_id=None
    )
    return breaches


def get_for_reading(
    *, session: Session, principal: Principal, breach_id: uuid.UUID, action: str = "breach.read"
) -> Breach:
    """A breach the caller may see: any for managers and the DPO, their own report for others."""
    breach = _get(session, breach_id)
    if not principal.has_role(*HANDLES_BREACHES) and breach.reported_by != principal.subject:
        raise Forbidden("you may see only the breaches you reported")
    audit.record(
        session, principal=principal, action=action, subject_type="breach", subject_id=breach.id
    )
    return breach


def timeline(*, session: Session, breach_id: uuid.UUID) -> list[BreachEventRead]:
    """Every change to a breach, oldest first."""
    events = breach_repository.timeline(session=session, breach_id=breach_id)
    return [BreachEventRead.model_validate(e, from_attributes=True) for e in events]


def to_read(vault: Vault, profile: OrgProfile, breach: Breach) -> BreachRead:
    texts = {name: _open(vault, breach, name) for name in FREE_TEXT_FIELDS}
    return BreachRead(
        id=breach.id,
        detected_at=breach.detected_at,
        reported_by=breach.reported_by,
        data_categories=breach.data_categories,
        affected_count=breach.affected_count,
        records_count=breach.records_count,
        affected_subject_ids=breach.affected_subject_ids,
        risk=breach.risk,
        authority_notification_required=authority_notification_required(breach),
        authority_deadline_at=authority_deadline(profile, breach.detected_at),
        authority_notified_at=breach.authority_notified_at,
        notified_late=notified_late(profile, breach),
        subjects_notification_required=subjects_notification_required(breach),
        subjects_deadline_at=subjects_deadline(profile, breach),
        subjects_notified_at=breach.subjects_notified_at,
        created_at=breach.created_at,
        updated_at=breach.updated_at,
        **texts,
    )


def _get(session: Session, breach_id: uuid.UUID) -> Breach:
    breach = breach_repository.get(session=session, breach_id=breach_id)
    if breach is None:
        raise NotFound("no breach with this id")
    return breach


def _append(
    session: Session,
    breach: Breach,
    principal: Principal,
    action: str,
    fields: list[str],
    now: datetime,
) -> None:
    event = BreachEvent(
        breach_id=breach.id,
        occurred_at=now,
        actor=principal.subject,
        roles=",".join(sorted(principal.roles)),
        action=action,
        fields=fields,
    )
    breach_repository.add_event(session=session, event=event)


def _context(name: str) -> str:
    return f"breach.{name}"


def _seal(vault: Vault, breach: Breach, name: str, value: str | None) -> None:
    sealed = vault.encrypt(str(breach.id), value, context=_context(name))
    setattr(breach, FREE_TEXT_FIELDS[name], sealed)


def _open(vault: Vault, breach: Breach, name: str) -> str | None:
    sealed: str | None = getattr(breach, FREE_TEXT_FIELDS[name])
    return vault.decrypt(str(breach.id), sealed, context=_context(name))


def _current(vault: Vault, breach: Breach, name: str) -> Any:
    if name in FREE_TEXT_FIELDS:
        return _open(vault, breach, name)
    return getattr(breach, name)


def _invalid(problems: dict[str, str]) -> InvalidInput:
    errors = [FieldError(field=name, message=message) for name, message in problems.items()]
    return InvalidInput("the breach is not valid as given", errors=errors)

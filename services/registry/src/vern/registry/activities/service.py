"""The rules of activities: who runs and sees what, participant lists deleted when the activity
ends, and the anonymous counts of activities held and participants."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc, oslo_date
from vern.kit.crypto import Vault
from vern.kit.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from vern.kit.orgprofile import Clock, Module, OrgProfile, retention_due_date
from vern.registry.activities import repository as activity_repository
from vern.registry.activities.models import Activity, ActivityRegistration
from vern.registry.activities.schemas import (
    ActivityCreate,
    ActivityRead,
    RegistrationCreate,
    RegistrationRead,
)
from vern.registry.counsellors.models import Counsellor
from vern.registry.modules import retention_period
from vern.registry.statistics.counters import Metric, increment

SEES_EVERY_ACTIVITY = ("coordinator", "manager")


def participants_due_date(profile: OrgProfile, activity: Activity) -> date:
    """The date the participant list is deleted: the profile's period (both seeds: until the
    activity ends) from the Oslo date the activity ends."""
    period = retention_period(profile, Clock.activity_ended)
    return retention_due_date(oslo_date(activity.ends_at), period)


def _require_runs(principal: Principal, activity: Activity) -> None:
    if principal.has_role(*SEES_EVERY_ACTIVITY) or activity.counsellor_id == principal.subject:
        return
    raise Forbidden("you do not run this activity")


def _audit(
    session: Session, principal: Principal, action: str, subject_type: str, subject_id: object
) -> None:
    audit.record(
        session,
        principal=principal,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id) if subject_id is not None else None,
    )


def _count(session: Session, profile: OrgProfile, metric: Metric, key: str, on: date) -> None:
    if profile.modules.is_on(Module.statistics):
        increment(session, metric=metric, key=key, on=on)


def create(*, session: Session, principal: Principal, data: ActivityCreate) -> Activity:
    """Plans an activity. Counsellors plan their own; coordinators and managers name who runs it."""
    counsellor_id = data.counsellor_id
    if not principal.has_role(*SEES_EVERY_ACTIVITY):
        if counsellor_id not in (None, principal.subject):
            raise Forbidden("counsellors plan only activities they run themselves")
        counsellor_id = principal.subject
    if counsellor_id is None or session.get(Counsellor, counsellor_id) is None:
        message = (
            "name the counsellor who runs it" if counsellor_id is None else "no such counsellor"
        )
        raise InvalidInput(
            f"counsellor_id: {message}",
            errors=[FieldError(field="counsellor_id", message=message)],
        )
    activity = Activity(
        created_at=now_utc(),
        name=data.name,
        kind=data.kind,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        counsellor_id=counsellor_id,
    )
    activity_repository.add(session=session, row=activity)
    _audit(session, principal, "activity.create", "activity", activity.id)
    return activity


def list_visible(
    *, session: Session, principal: Principal, limit: int, offset: int
) -> Sequence[Activity]:
    """A counsellor's own activities; every activity for coordinators and managers."""
    mine = None if principal.has_role(*SEES_EVERY_ACTIVITY) else principal.subject
    return activity_repository.list_activities(
        session=session, counsellor_id=mine, limit=limit, offset=offset
    )


def read(*, principal: Principal, activity: Activity) -> Activity:
    """An activity the principal runs or oversees."""
    _require_runs(principal, activity)
    return activity


def mark_held(
    *, session: Session, principal: Principal, profile: OrgProfile, activity: Activity, at: datetime
) -> Activity:
    """Confirms the activity took place and counts it once, in the month it started."""
    _require_runs(principal, activity)
    if activity.held_at is not None:
        raise Conflict("the activity is already marked as held")
    if activity.starts_at > at:
        raise Conflict("the activity has not started yet")
    activity.held_at = at
    session.add(activity)
    session.flush()
    _count(session, profile, Metric.activities, activity.kind.value, oslo_date(activity.starts_at))
    _audit(session, principal, "activity.held", "activity", activity.id)
    return activity


def remove(*, session: Session, vault: Vault, principal: Principal, activity: Activity) -> None:
    """Cancels an activity: its participant list is deleted and every participant's key shredded."""
    _require_runs(principal, activity)
    registrations = activity_repository.registrations_of(session=session, activity_id=activity.id)
    for registration in registrations:
        activity_repository.delete(session=session, row=registration)
    activity_repository.delete(session=session, row=activity)
    for registration in registrations:
        vault.shred(str(registration.id))
    _audit(session, principal, "activity.delete", "activity", activity.id)


def register(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    profile: OrgProfile,
    activity: Activity,
    data: RegistrationCreate,
    at: datetime,
) -> ActivityRegistration:
    """Signs a participant up; the registration is deleted when the activity ends."""
    _require_runs(principal, activity)
    if activity.ends_at <= at:
        raise Conflict("the activity has ended; its participant list is being deleted")
    registration_id = uuid.uuid4()
    subject = str(registration_id)
    vault.create_subject_key(subject)

    def seal(name: str, value: str | None) -> str | None:
        return vault.encrypt(subject, value, context=f"activity_registration.{name}")

    registration = ActivityRegistration(
        id=registration_id,
        activity_id=activity.id,
        created_at=at,
        full_name_ct=seal("full_name", data.full_name),
        email_ct=seal("email", data.email),
        phone_ct=seal("phone", data.phone),
        email_bidx=vault.blind_index("email", data.email) if data.email else None,
        phone_bidx=vault.blind_index("phone", data.phone) if data.phone else None,
        retention_due_date=participants_due_date(profile, activity),
    )
    activity_repository.add(session=session, row=registration)
    _count(session, profile, Metric.participants, activity.kind.value, oslo_date(at))
    _audit(session, principal, "activity_registration.create", "activity_registration", subject)
    return registration


def list_registrations(
    *, session: Session, principal: Principal, activity: Activity, limit: int, offset: int
) -> Sequence[ActivityRegistration]:
    """The participant list, for whoever runs or oversees the activity."""
    _require_runs(principal, activity)
    registrations = activity_repository.registrations_of(
        session=session, activity_id=activity.id, limit=limit, offset=offset
    )
    _audit(session, principal, "activity_registration.list", "activity", activity.id)
    return registrations


def unregister(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    activity: Activity,
    registration_id: uuid.UUID,
) -> None:
    """Takes a participant off the list and shreds their key."""
    _require_runs(principal, activity)
    registration = activity_repository.get_registration(
        session=session, activity_id=activity.id, registration_id=registration_id
    )
    if registration is None:
        raise NotFound("no such registration")
    activity_repository.delete(session=session, row=registration)
    vault.shred(str(registration_id))
    _audit(
        session, principal, "activity_registration.delete", "activity_registration", registration_id
    )


def to_read(profile: OrgProfile, activity: Activity) -> ActivityRead:
    return ActivityRead(
        id=activity.id,
        name=activity.name,
        kind=activity.kind,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        counsellor_id=activity.counsellor_id,
        held_at=activity.held_at,
        participants_deleted_on=participants_due_date(profile, activity),
        created_at=activity.created_at,
    )


def to_registration_read(vault: Vault, registration: ActivityRegistration) -> RegistrationRead:
    subject = str(registration.id)

    def open_(name: str) -> str | None:
        token = getattr(registration, f"{name}_ct")
        return vault.decrypt(subject, token, context=f"activity_registration.{name}")

    return RegistrationRead(
        id=registration.id,
        activity_id=registration.activity_id,
        full_name=open_("full_name") or "",
        email=open_("email"),
        phone=open_("phone"),
        created_at=registration.created_at,
        retention_due_date=registration.retention_due_date,
    )

"""The rules of the waiting list: encryption at rest, the 30-day clock, promotion to client."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from pydantic import ValidationError
from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc, oslo_date, today_oslo
from vern.kit.crypto import Vault
from vern.kit.errors import FieldError, InvalidInput
from vern.kit.orgprofile import ClientField, Clock, OrgProfile, retention_due_date
from vern.registry.counsellors.models import Counsellor
from vern.registry.modules import retention_period
from vern.registry.persons import service as person_service
from vern.registry.persons.models import Gender
from vern.registry.persons.schemas import PersonCreate
from vern.registry.waitlist import repository as waitlist_repository
from vern.registry.waitlist.models import AbuseKind, AffectedAs, WaitlistEntry
from vern.registry.waitlist.schemas import (
    PromotedField,
    PromotionResult,
    WaitlistEntryCreate,
    WaitlistEntryRead,
    WaitlistEntrySummary,
    WaitlistPromotion,
)

SUBJECT_TYPE = "waitlist_entry"

CLIENT_FIELD_OF: dict[PromotedField, ClientField] = {
    PromotedField.full_name: ClientField.name,
    PromotedField.email: ClientField.email,
    PromotedField.phone: ClientField.phone,
    PromotedField.birth_date: ClientField.birth_date,
    PromotedField.gender: ClientField.gender,
}


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _seal(vault: Vault, entry_id: uuid.UUID, name: str, value: object) -> str | None:
    if value is None:
        return None
    return vault.encrypt(str(entry_id), _as_text(value), context=f"waitlist_entry.{name}")


def _open(vault: Vault, entry: WaitlistEntry, name: str) -> str | None:
    token = getattr(entry, f"{name}_ct")
    return vault.decrypt(str(entry.id), token, context=f"waitlist_entry.{name}")


def due_date(profile: OrgProfile, counsellor_assigned_at: datetime) -> date:
    """The date the entry is deleted: the profile's period (Nok. Bergen: 30 days) after the Oslo
    date on which the counsellor was assigned."""
    period = retention_period(profile, Clock.counsellor_assigned)
    return retention_due_date(oslo_date(counsellor_assigned_at), period)


def create(
    *, session: Session, vault: Vault, principal: Principal, data: WaitlistEntryCreate
) -> WaitlistEntry:
    """Puts a new user on the waiting list, under a data key of the entry's own."""
    entry_id = uuid.uuid4()
    vault.create_subject_key(str(entry_id))
    sealed = {
        f"{name}_ct": _seal(vault, entry_id, name, value)
        for name, value in data.model_dump(exclude={"received_date"}).items()
    }
    entry = WaitlistEntry.model_validate(
        {
            "id": entry_id,
            "created_at": now_utc(),
            "received_date": data.received_date or today_oslo(),
            **sealed,
            "email_bidx": vault.blind_index("email", data.email) if data.email else None,
            "phone_bidx": vault.blind_index("phone", data.phone) if data.phone else None,
        }
    )
    waitlist_repository.add(session=session, entry=entry)
    _audit(session, principal, "waitlist.create", entry.id)
    return entry


def read(*, session: Session, principal: Principal, entry: WaitlistEntry) -> WaitlistEntry:
    """Records that the principal read the entry, and gives it."""
    _audit(session, principal, "waitlist.read", entry.id)
    return entry


def list_entries(
    *, session: Session, principal: Principal, limit: int, offset: int
) -> Sequence[WaitlistEntry]:
    """The waiting list, longest waiting first."""
    entries = waitlist_repository.list_all(session=session, limit=limit, offset=offset)
    _audit(session, principal, "waitlist.list", None)
    return entries


def assign_counsellor(
    *,
    session: Session,
    principal: Principal,
    profile: OrgProfile,
    entry: WaitlistEntry,
    counsellor_id: str,
    at: datetime,
) -> WaitlistEntry:
    """Assigns a counsellor. The first assignment starts the deletion clock; handing the entry to
    another counsellor later does not restart it (the notice counts from when a counsellor
    was assigned, and a later change must not keep the data longer)."""
    if session.get(Counsellor, counsellor_id) is None:
        raise InvalidInput(
            "counsellor_id: no such counsellor",
            errors=[FieldError(field="counsellor_id", message="no such counsellor")],
        )
    entry.assigned_counsellor_id = counsellor_id
    if entry.counsellor_assigned_at is None:
        entry.counsellor_assigned_at = at
        entry.retention_due_date = due_date(profile, at)
    session.add(entry)
    session.flush()
    _audit(session, principal, "waitlist.assign_counsellor", entry.id)
    return entry


def promote(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    profile: OrgProfile,
    entry: WaitlistEntry,
    data: WaitlistPromotion,
) -> PromotionResult:
    """Registers the applicant as a client with only the fields they agreed to and the centre's
    client record keeps, then deletes the entry and shreds its key."""
    kept = set(profile.client_record.client_fields)
    copied = [f for f in PromotedField if f in data.agreed_fields and CLIENT_FIELD_OF[f] in kept]
    values = to_read(vault, entry).model_dump(include={f.value for f in copied})
    values["assigned_counsellor_id"] = entry.assigned_counsellor_id
    values["intake_date"] = data.intake_date
    try:
        person_data = PersonCreate.model_validate(values)
        person = person_service.create(
            session=session, vault=vault, principal=principal, data=person_data, profile=profile
        )
    except ValidationError as exc:
        raise _too_little_agreed([_field_of(e["loc"], e["msg"]) for e in exc.errors()]) from None
    except InvalidInput as exc:
        reasons = [f"{e.field}: {e.message}" for e in exc.errors or []]
        raise _too_little_agreed(reasons or [exc.detail or "is incomplete"]) from None
    _audit(session, principal, "waitlist.promote", entry.id)
    _delete(session=session, vault=vault, entry=entry)
    return PromotionResult(
        person_id=person.id,
        copied_fields=copied,
        not_copied_fields=[f for f in data.agreed_fields if f not in copied],
    )


def _field_of(loc: tuple[int | str, ...], message: str) -> str:
    return f"{loc[0]}: {message}" if loc else message.removeprefix("Value error, ")


def _too_little_agreed(reasons: list[str]) -> InvalidInput:
    """The client record the agreed fields would make is refused (a required field is missing):
    name the request's field, with the record's reasons (never a value)."""
    message = "the client record would be incomplete: " + "; ".join(reasons)
    return InvalidInput(
        f"agreed_fields: {message}", errors=[FieldError(field="agreed_fields", message=message)]
    )


def remove(*, session: Session, vault: Vault, principal: Principal, entry: WaitlistEntry) -> None:
    """Deletes the entry and shreds its data key."""
    _audit(session, principal, "waitlist.delete", entry.id)
    _delete(session=session, vault=vault, entry=entry)


def _delete(*, session: Session, vault: Vault, entry: WaitlistEntry) -> None:
    entry_id = str(entry.id)
    waitlist_repository.delete(session=session, entry=entry)
    vault.shred(entry_id)


def _audit(session: Session, principal: Principal, action: str, entry_id: uuid.UUID | None) -> None:
    audit.record(
        session, principal=principal, action=action, subject_type=SUBJECT_TYPE, subject_id=entry_id
    )


def _flag(text: str | None) -> bool | None:
    return None if text is None else text == "true"


def to_summary(vault: Vault, entry: WaitlistEntry) -> WaitlistEntrySummary:
    return WaitlistEntrySummary(
        id=entry.id,
        full_name=_open(vault, entry, "full_name") or "",
        received_date=entry.received_date,
        assigned_counsellor_id=entry.assigned_counsellor_id,
        counsellor_assigned_at=entry.counsellor_assigned_at,
        retention_due_date=entry.retention_due_date,
    )


def to_read(vault: Vault, entry: WaitlistEntry) -> WaitlistEntryRead:
    birth_date = _open(vault, entry, "birth_date")
    gender = _open(vault, entry, "gender")
    affected_as = _open(vault, entry, "affected_as")
    abuse_kind = _open(vault, entry, "abuse_kind")
    return WaitlistEntryRead(
        **to_summary(vault, entry).model_dump(),
        email=_open(vault, entry, "email"),
        phone=_open(vault, entry, "phone"),
        gender=Gender(gender) if gender else None,
        new_user=_flag(_open(vault, entry, "new_user")),
        affected_as=AffectedAs(affected_as) if affected_as else None,
        birth_date=date.fromisoformat(birth_date) if birth_date else None,
        abuse_kind=AbuseKind(abuse_kind) if abuse_kind else None,
        other_help_services=_flag(_open(vault, entry, "other_help_services")),
        created_at=entry.created_at,
    )

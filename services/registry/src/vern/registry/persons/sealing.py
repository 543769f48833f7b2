"""A client's fields in and out of their ciphertext columns, and the records the API returns."""

from __future__ import annotations

from datetime import date
from typing import Any

from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile
from vern.registry.persons import rules
from vern.registry.persons.models import Gender, Person
from vern.registry.persons.schemas import (
    ConfidentialityDeclaration,
    GuardianRead,
    PartnerRead,
    PersonFields,
    PersonRead,
    PersonSummary,
)

# Sealed columns `<name>_ct`; the three looked up exactly also get a blind index `<name>_bidx`.
SEALED = (
    "full_name", "address", "email", "phone", "birth_date", "national_id", "gender",
    "partner_name", "partner_phone", "guardian_name", "guardian_phone", "guardian_email",
)  # fmt: skip
INDEXED = ("email", "phone", "national_id")


def _plain(data: PersonFields) -> dict[str, str | None]:
    partner, guardian = data.partner, data.guardian
    return {
        "full_name": data.full_name,
        "address": data.address,
        "email": data.email,
        "phone": data.phone,
        "birth_date": data.birth_date.isoformat() if data.birth_date else None,
        "national_id": data.national_id,
        "gender": data.gender.value if data.gender else None,
        "partner_name": partner.name if partner else None,
        "partner_phone": partner.phone if partner else None,
        "guardian_name": guardian.name if guardian else None,
        "guardian_phone": guardian.phone if guardian else None,
        "guardian_email": guardian.email if guardian else None,
    }


def seal_fields(vault: Vault, person: Person, data: PersonFields) -> None:
    """Encrypts every personal field under the client's key; blind-indexes email, phone, id."""
    subject = str(person.id)
    plain = _plain(data)
    for name in SEALED:
        setattr(person, f"{name}_ct", vault.encrypt(subject, plain[name], context=f"person.{name}"))
    for name in INDEXED:
        value = plain[name]
        setattr(person, f"{name}_bidx", vault.blind_index(name, value) if value else None)
    person.heard_about = data.heard_about


def _opened(vault: Vault, person: Person) -> dict[str, str | None]:
    subject = str(person.id)
    return {
        name: vault.decrypt(subject, getattr(person, f"{name}_ct"), context=f"person.{name}")
        for name in SEALED
    }


def stored_fields(vault: Vault, person: Person) -> dict[str, Any]:
    """The client's fields as the API takes them (for merging an update)."""
    return _fields(person, _opened(vault, person))


def _fields(person: Person, plain: dict[str, str | None]) -> dict[str, Any]:
    declaration = None
    if (
        person.confidentiality_declaration_signed_date
        and person.confidentiality_declaration_version
    ):
        declaration = ConfidentialityDeclaration.model_construct(
            signed_date=person.confidentiality_declaration_signed_date,
            version=person.confidentiality_declaration_version,
        )
    partner = guardian = None
    if plain["partner_name"] is not None:
        partner = {"name": plain["partner_name"], "phone": plain["partner_phone"]}
    if plain["guardian_name"] is not None:
        guardian = {
            "name": plain["guardian_name"],
            "phone": plain["guardian_phone"],
            "email": plain["guardian_email"],
            "consent_date": person.guardian_consent_date,
        }
    birth_date = plain["birth_date"]
    gender = plain["gender"]
    return {
        "full_name": plain["full_name"],
        "address": plain["address"],
        "email": plain["email"],
        "phone": plain["phone"],
        "birth_date": date.fromisoformat(birth_date) if birth_date else None,
        "national_id": plain["national_id"],
        "gender": Gender(gender) if gender else None,
        "heard_about": person.heard_about,
        "intake_date": person.intake_date,
        "confidentiality_declaration": declaration,
        "partner": partner,
        "guardian": guardian,
        "journal_consent": person.journal_consent,
    }


def _shown(values: dict[str, Any], profile: OrgProfile) -> dict[str, Any]:
    hidden = rules.hidden_fields(profile)
    return {k: v for k, v in values.items() if k not in hidden}


def to_summary(vault: Vault, person: Person, profile: OrgProfile) -> PersonSummary:
    full_name = vault.decrypt(str(person.id), person.full_name_ct, context="person.full_name")
    values = {
        "id": person.id,
        "anonymous": person.anonymous,
        "full_name": full_name,
        "assigned_counsellor_id": person.assigned_counsellor_id,
        "intake_date": person.intake_date,
        "retention_due_date": person.retention_due_date,
    }
    return PersonSummary(**_shown(values, profile))


def to_read(vault: Vault, person: Person, profile: OrgProfile) -> PersonRead:
    """The record, without the fields the centre does not collect (absent, not null)."""
    fields = _fields(person, _opened(vault, person))
    partner, guardian = fields.pop("partner"), fields.pop("guardian")
    values = {
        **fields,
        "id": person.id,
        "anonymous": person.anonymous,
        "assigned_counsellor_id": person.assigned_counsellor_id,
        "retention_due_date": person.retention_due_date,
        "newsletter_opt_in": person.newsletter_opt_in,
        "partner": PartnerRead(**partner) if partner else None,
        "guardian": GuardianRead(**guardian) if guardian else None,
        "journal_consent_at": person.journal_consent_at,
        "counsellor_assigned_at": person.counsellor_assigned_at,
        "last_counsellor_contact_at": person.last_counsellor_contact_at,
        "counselling_ended_at": person.counselling_ended_at,
        "created_at": person.created_at,
    }
    return PersonRead(**_shown(values, profile))

"""What the centre's org profile decides about a client record: which fields are collected,
anonymity, the partner, the guardian's consent for a minor, the journal consent."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from vern.kit.errors import FieldError, InvalidInput
from vern.kit.identifiers import parse_national_id
from vern.kit.orgprofile import ClientField, Module, OrgProfile
from vern.registry.persons.schemas import PersonFields

# The API fields each switchable client field of the profile stands for.
API_FIELDS: Mapping[ClientField, tuple[str, ...]] = {
    ClientField.name: ("full_name",),
    ClientField.address: ("address",),
    ClientField.email: ("email",),
    ClientField.phone: ("phone",),
    ClientField.birth_date: ("birth_date",),
    ClientField.gender: ("gender",),
    ClientField.national_id: ("national_id",),
    ClientField.intake_date: ("intake_date",),
    ClientField.referral_source: ("heard_about",),
    ClientField.confidentiality_declaration: ("confidentiality_declaration",),
    ClientField.newsletter_opt_in: ("newsletter_opt_in",),
}
# What an anonymous client is registered without.
IDENTIFYING = ("full_name", "address", "email", "phone", "national_id", "partner", "guardian")


def hidden_fields(profile: OrgProfile) -> set[str]:
    """API fields the centre does not collect: refused when sent, left out when read."""
    on = set(profile.client_record.client_fields)
    hidden = {name for field, names in API_FIELDS.items() if field not in on for name in names}
    if not profile.client_record.partner_contact:
        hidden.add("partner")
    if profile.age_rules.guardian_consent_under is None:
        hidden.add("guardian")
    if not profile.modules.is_on(Module.journal_vendor):
        hidden |= {"journal_consent", "journal_consent_at"}
    return hidden


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def known_birth_date(data: PersonFields) -> date | None:
    """The birth date given, or else the one the national id holds (None if neither tells)."""
    if data.birth_date is not None:
        return data.birth_date
    if data.national_id is not None:
        return parse_national_id(data.national_id).birth_date
    return None


def check(
    data: PersonFields, *, sent: set[str], anonymous: bool, profile: OrgProfile, today: date
) -> None:
    """Refuses, with every reason at once, a record the centre's profile does not allow."""
    errors = list(_problems(data, sent=sent, anonymous=anonymous, profile=profile, today=today))
    if errors:
        raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors)


def _problems(
    data: PersonFields, *, sent: set[str], anonymous: bool, profile: OrgProfile, today: date
) -> Iterator[FieldError]:
    record = profile.client_record
    hidden = hidden_fields(profile)
    for name in sorted(sent & hidden):
        if getattr(data, name, None) not in (None, False):
            yield FieldError(field=name, message="is not collected by this centre")
    if anonymous and not record.anonymous_clients_allowed:
        yield FieldError(
            field="anonymous", message="this centre does not register anonymous clients"
        )
    if anonymous:
        for name in IDENTIFYING:
            if getattr(data, name) is not None:
                yield FieldError(field=name, message="an anonymous client is registered without it")
    else:
        yield from _identity_problems(data, profile)
    yield from _guardian_problems(data, profile, today, guardian_sent="guardian" in sent)


def _identity_problems(data: PersonFields, profile: OrgProfile) -> Iterator[FieldError]:
    """A client who is not anonymous gives a name and a phone number or an email address (those
    of the three the centre collects)."""
    on = set(profile.client_record.client_fields)
    if ClientField.name in on and not data.full_name:
        yield FieldError(field="full_name", message="is required")
    reachable = [f for f in (ClientField.phone, ClientField.email) if f in on]
    if reachable and not any(getattr(data, f.value) for f in reachable):
        message = (
            "give a phone number or an email address" if len(reachable) == 2 else "is required"
        )
        yield FieldError(field=reachable[0].value, message=message)


def _guardian_problems(
    data: PersonFields, profile: OrgProfile, today: date, *, guardian_sent: bool
) -> Iterator[FieldError]:
    """Under the profile's age limit the guardian's consent is required (and recorded); an age
    Vern cannot tell (no birth date, or a 2032 number without a century) requires nothing. A
    guardian recorded while the client was a minor stays when the client comes of age."""
    limit = profile.age_rules.guardian_consent_under
    if limit is None:
        return
    born = known_birth_date(data)
    minor = born is not None and age_on(born, today) < limit
    if minor and data.guardian is None:
        yield FieldError(
            field="guardian",
            message=f"a client under {limit} needs a guardian's consent: give the guardian's "
            "name, phone or email, and the date of consent",
        )
    if guardian_sent and data.guardian is not None and born is not None and not minor:
        yield FieldError(field="guardian", message=f"is recorded only for clients under {limit}")

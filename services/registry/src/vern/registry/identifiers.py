"""Validation and normalisation of the identifiers the register stores (and indexes blindly)."""

from __future__ import annotations

from datetime import date

import phonenumbers
from stdnum.no import fodselsnummer

from vern.kit.identifiers import normalise_email, normalise_national_id

__all__ = ["birth_date_of", "normalise_email", "normalise_national_id", "normalise_phone"]


def normalise_phone(value: str) -> str:
    """E.164, Norwegian numbers assumed when no country code is given."""
    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException as exc:
        raise ValueError("is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def birth_date_of(national_id: str) -> date:
    born: date = fodselsnummer.get_birth_date(national_id)
    return born

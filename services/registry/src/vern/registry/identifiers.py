"""Validation and normalisation of the identifiers the register stores (and indexes blindly)."""

from __future__ import annotations

import phonenumbers

from vern.kit.identifiers import normalise_email, normalise_national_id, parse_national_id

__all__ = ["normalise_email", "normalise_national_id", "normalise_phone", "parse_national_id"]


def normalise_phone(value: str) -> str:
    """E.164, Norwegian numbers assumed when no country code is given."""
    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException as exc:
        raise ValueError("is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

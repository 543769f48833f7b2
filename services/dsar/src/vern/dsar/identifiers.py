"""Normalisation of the identifiers a request names, so that their blind indexes match."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer


def normalise_email(value: str) -> str:
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError("is not a valid email address") from exc
    return result.normalized.lower()


def normalise_national_id(value: str) -> str:
    """Fødselsnummer or D-nummer, both check digits verified."""
    try:
        return str(fodselsnummer.validate(value))
    except StdnumError as exc:
        raise ValueError("is not a valid fødselsnummer or D-nummer") from exc


def compact_national_id(value: str) -> str:
    """The national id from a BankID token: already verified by the issuer, only compacted."""
    return str(fodselsnummer.compact(value))

"""Normal forms of identifiers more than one service stores (and blind-indexes)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer


def normalise_email(value: str) -> str:
    """The form an address is encrypted and blind-indexed in: validated, lower-cased."""
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError("is not a valid email address") from exc
    return result.normalized.lower()


def normalise_national_id(value: str) -> str:
    """Fødselsnummer or D-nummer, both check digits verified; the form it is blind-indexed in."""
    try:
        return str(fodselsnummer.validate(value))
    except StdnumError as exc:
        raise ValueError("is not a valid fødselsnummer or D-nummer") from exc

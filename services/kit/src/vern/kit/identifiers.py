"""Normal forms of identifiers more than one service stores (and blind-indexes), and the parsing of
Norwegian national identity numbers: fødselsnummer, D-nummer and H-nummer, by both check-digit rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer

from vern.kit.clock import today_oslo

NationalIdKind = Literal["fnr", "dnr", "hnr"]
CheckRule = Literal["1964", "2032"]

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
# Numbers issued from 1 January 2032 change the first check digit: the weighted sum of the first
# ten digits may leave the remainder 0, 1, 2 or 3 modulo 11 (before 2032 only 0); the second check
# digit is computed as before. The century no longer follows from the individual number, and the
# number no longer tells the gender. Skatteetaten, "Nye fødselsnummer og d-nummer fra 2032",
# https://www.skatteetaten.no/deling/opplysninger/folkeregisteropplysninger/pid/ ("Ny
# kontrollberegning vil akseptere 0, 1, 2 og 3 som gyldige verdier"), and the reference code at
# https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/nytt-fodselsnummer-fra-2032/.
# python-stdnum 2.2 knows only the 1964 rule.
_K1_REMAINDERS_2032 = frozenset({1, 2, 3})


@dataclass(frozen=True)
class NationalId:
    """A checked national identity number. `birth_date` is None when the number follows the 2032
    rule, whose numbers do not tell the century; `agrees_with` still compares day, month, year."""

    value: str
    kind: NationalIdKind
    check_rule: CheckRule
    birth_date: date | None
    day: int
    month: int
    year_in_century: int

    def agrees_with(self, born: date) -> bool:
        """Whether a stated birth date is the one the number encodes."""
        if self.birth_date is not None:
            return self.birth_date == born
        return (born.day, born.month, born.year % 100) == (
            self.day,
            self.month,
            self.year_in_century,
        )


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11


def _check_rule(number: str) -> CheckRule:
    if _weighted(number, _K2_WEIGHTS) != 0:
        raise ValueError("has a wrong check digit")
    remainder = _weighted(number, _K1_WEIGHTS)
    if remainder == 0:
        return "1964"
    if remainder in _K1_REMAINDERS_2032:
        return "2032"
    raise ValueError("has a wrong check digit")


def _kind(day: int, month: int) -> NationalIdKind:
    if day >= 80:
        raise ValueError("is an FH-nummer, which does not identify a person's birth date")
    if day > 40 and month > 40:
        raise ValueError("is neither a fødselsnummer, a D-nummer nor an H-nummer")
    if day > 40:
        return "dnr"
    if month > 40:
        return "hnr"
    return "fnr"


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_national_id(value: str) -> NationalId:
    """Checks a fødselsnummer, D-nummer or H-nummer (both check digits, by the rule before 2032 and
    the rule from 2032, and the birth date it holds). ValueError says what is wrong, never echoing
    the number."""
    number = fodselsnummer.compact(value)
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        raise ValueError("must be 11 digits")
    rule = _check_rule(number)
    raw_day, raw_month, yy = int(number[0:2]), int(number[2:4]), int(number[4:6])
    kind = _kind(raw_day, raw_month)
    day = raw_day - 40 if kind == "dnr" else raw_day
    month = raw_month - 40 if kind == "hnr" else raw_month
    today = today_oslo()
    if rule == "1964":
        try:
            known: date = fodselsnummer.get_birth_date(number)
        except StdnumError:
            raise ValueError("holds no valid birth date") from None
        born: date | None = known
        candidates = [known]
    else:
        # The century is not in the number: any century in which the date exists and has passed.
        born = None
        candidates = [d for d in (_valid_date(c + yy, month, day) for c in (1800, 1900, 2000)) if d]
        if not candidates:
            raise ValueError("holds no valid birth date")
    if all(c > today for c in candidates):
        raise ValueError("holds a birth date in the future")
    return NationalId(
        value=number,
        kind=kind,
        check_rule=rule,
        birth_date=born,
        day=day,
        month=month,
        year_in_century=yy,
    )


def normalise_email(value: str) -> str:
    """The form an address is encrypted and blind-indexed in: validated, lower-cased."""
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError("is not a valid email address") from exc
    return result.normalized.lower()


def normalise_national_id(value: str) -> str:
    """Fødselsnummer, D-nummer or H-nummer, checked; the form it is blind-indexed in."""
    return parse_national_id(value).value

"""National identity numbers: fødselsnummer, D-nummer and H-nummer under both check-digit rules."""

from datetime import date

import pytest

from vern.kit.identifiers import normalise_email, normalise_national_id, parse_national_id

# Synthetic numbers (check digits computed, no real person): all encode 15 July 1965.
FNR = "15076500565"
DNR = "55076500559"  # day + 40
HNR = "15476500548"  # month + 40
FNR_2032 = "15076500573"  # first check digit by the 2032 rule (remainder 1), second as before


@pytest.mark.parametrize(("number", "kind"), [(FNR, "fnr"), (DNR, "dnr"), (HNR, "hnr")])
def test_numbers_under_the_1964_rule_are_accepted_with_their_birth_date(
    number: str, kind: str
) -> None:
    parsed = parse_national_id(number)
    assert (parsed.value, parsed.kind, parsed.check_rule) == (number, kind, "1964")
    assert parsed.birth_date == date(1965, 7, 15)


def test_a_number_under_the_2032_rule_is_accepted_without_a_century() -> None:
    parsed = parse_national_id(FNR_2032)
    assert (parsed.kind, parsed.check_rule, parsed.birth_date) == ("fnr", "2032", None)
    assert parsed.agrees_with(date(1965, 7, 15))
    assert not parsed.agrees_with(date(1965, 7, 16))


@pytest.mark.parametrize("remainder_number", ["15076500581", "55076500583", "15476500572"])
def test_every_remainder_the_2032_rule_allows_is_accepted(remainder_number: str) -> None:
    assert parse_national_id(remainder_number).check_rule == "2032"


def test_the_python_stdnum_rule_alone_would_refuse_a_2032_number() -> None:
    from stdnum.no import fodselsnummer

    assert not fodselsnummer.is_valid(FNR_2032)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("15076500566", "has a wrong check digit"),  # second check digit off by one
        ("15076500506", "has a wrong check digit"),  # first check digit: remainder 5
        ("31026500500", "holds no valid birth date"),  # 31 February
        ("29020251245", "holds no valid birth date"),  # 29 Feb 1802, 1902 or 2002: 2032 rule
        ("1507650056", "must be 11 digits"),
        ("1507650056a", "must be 11 digits"),
        ("15073980051", "holds a birth date in the future"),  # 15 July 2039
    ],
)
def test_wrong_numbers_are_refused_in_plain_words_without_echoing_them(
    number: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason) as caught:
        parse_national_id(number)
    assert number not in str(caught.value)


def test_fh_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="FH-nummer"):
        parse_national_id("81076500525")


def test_birth_date_agreement_is_exact_for_a_1964_number() -> None:
    assert parse_national_id(DNR).agrees_with(date(1965, 7, 15))
    assert not parse_national_id(DNR).agrees_with(date(2065, 7, 15))


def test_normalise_national_id_keeps_its_compact_form() -> None:
    assert normalise_national_id("150765 00565") == FNR
    assert normalise_national_id("150765-00565") == FNR


def test_normalise_email_lowercases() -> None:
    assert normalise_email("Sigrid.Fjell@Example.org") == "sigrid.fjell@example.org"

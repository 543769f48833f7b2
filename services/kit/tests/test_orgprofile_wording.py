"""The profile's Norwegian words: every code has them, and periods read as a person writes them."""

from enum import StrEnum

import pytest

from vern.kit.orgprofile import Article6Basis, Article9Condition, Clock, Duration
from vern.kit.orgprofile.wording import (
    LABELS,
    article6_reference,
    article9_reference,
    duration_nb,
    frequency_nb,
    phone_nb,
    retention_nb,
)


@pytest.mark.parametrize("enum", list(LABELS), ids=lambda e: e.__name__)
def test_every_code_of_the_vocabulary_has_norwegian_words(enum: type[StrEnum]) -> None:
    assert set(LABELS[enum]) == set(enum)


@pytest.mark.parametrize(
    ("clock", "period", "words"),
    [
        (
            Clock.last_counsellor_contact,
            Duration(years=3),
            "slettes 3 år etter siste kontakt med faglig veileder",
        ),
        (
            Clock.counsellor_assigned,
            Duration(days=30),
            "slettes 30 dager etter at faglig veileder er tildelt",
        ),
        (
            Clock.counselling_ended,
            Duration(years=3),
            "slettes 3 år etter at du har avsluttet veiledningen",
        ),
        (
            Clock.unsubscribed,
            "immediately",
            "slettes straks du melder deg av eller adressen ikke lenger virker",
        ),
        (Clock.activity_ended, "until_clock", "oppbevares til arrangementet er avsluttet"),
        (Clock.last_activity, Duration(days=30), "slettes 30 dager etter siste aktivitet"),
        (Clock.event_time, Duration(months=3), "slettes 3 måneder etter registreringen"),
        (Clock.event_time, "immediately", "lagres ikke"),
        (
            Clock.accounting_year_end,
            Duration(years=5),
            "slettes 5 år etter utgangen av regnskapsåret",
        ),
    ],
)
def test_retention_reads_as_the_notices_say_it(
    clock: Clock, period: Duration | str, words: str
) -> None:
    assert retention_nb(clock, period) == words  # type: ignore[arg-type]


@pytest.mark.parametrize("clock", list(Clock))
@pytest.mark.parametrize(
    "period", [Duration(years=1), "immediately", "until_clock"], ids=["duration", "now", "until"]
)
def test_every_clock_has_a_phrase_for_every_kind_of_period(clock: Clock, period: object) -> None:
    words = retention_nb(clock, period)  # type: ignore[arg-type]

    assert words.startswith(("slettes ", "oppbevares til ", "lagres ikke"))
    assert "_" not in words


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (Duration(years=1), "1 år"),
        (Duration(months=1), "1 måned"),
        (Duration(months=3), "3 måneder"),
        (Duration(days=1), "1 dag"),
        (Duration(years=1, months=6), "1 år og 6 måneder"),
        (Duration(years=2, months=1, days=4), "2 år, 1 måned og 4 dager"),
    ],
)
def test_duration_in_words(duration: Duration, words: str) -> None:
    assert duration_nb(duration) == words


@pytest.mark.parametrize(
    ("every", "words"),
    [
        (Duration(days=1), "hver dag"),
        (Duration(days=7), "hver 7. dag"),
        (Duration(months=1), "hver måned"),
        (Duration(months=6), "hver 6. måned"),
        (Duration(years=1), "hvert år"),
        (Duration(years=1, months=6), "med 1 år og 6 måneder mellomrom"),
    ],
)
def test_task_frequency_in_words(every: Duration, words: str) -> None:
    assert frequency_nb(every) == words


def test_legal_bases_name_their_article_letter() -> None:
    assert article6_reference(Article6Basis.consent).endswith("artikkel 6 nr. 1 bokstav a")
    assert article6_reference(Article6Basis.legitimate_interests).endswith("bokstav f")
    assert article9_reference(Article9Condition.explicit_consent).endswith(
        "artikkel 9 nr. 2 bokstav a"
    )
    assert article9_reference(Article9Condition.employment_law).endswith("bokstav b")


def test_phone_numbers_are_grouped_the_norwegian_way() -> None:
    assert phone_nb("+4755904990") == "+47 55 90 49 90"

"""A client's retention due date under each centre's rule, before and after its clock starts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vern.kit.orgprofile import OrgProfile
from vern.registry.retention import client_rule, person_due_date

from .persons.conftest import load

NOK_BERGEN = load("nokbergen")
TRYGGERE = load("tryggere")


def due(
    profile: OrgProfile,
    intake: date,
    contact: datetime | None = None,
    ended: datetime | None = None,
) -> date:
    return person_due_date(
        profile=profile,
        intake_date=intake,
        last_counsellor_contact_at=contact,
        counselling_ended_at=ended,
    )


def test_each_centre_keeps_clients_under_its_own_rule() -> None:
    assert client_rule(NOK_BERGEN)[0] == "contact_register"
    assert client_rule(TRYGGERE)[0] == "counselling_record"


def test_nok_bergen_counts_three_years_from_the_last_counsellor_contact() -> None:
    contact = datetime(2026, 5, 4, 10, tzinfo=UTC)
    assert due(NOK_BERGEN, date(2026, 1, 5), contact) == date(2029, 5, 4)


def test_nok_bergen_counts_intake_as_the_first_contact_before_any_contact() -> None:
    assert due(NOK_BERGEN, date(2026, 1, 5)) == date(2029, 1, 5)


def test_nok_bergen_ignores_the_end_of_counselling() -> None:
    contact = datetime(2026, 5, 4, 10, tzinfo=UTC)
    ended = datetime(2026, 9, 1, 10, tzinfo=UTC)
    assert due(NOK_BERGEN, date(2026, 1, 5), contact, ended) == date(2029, 5, 4)


def test_tryggere_counts_three_years_from_the_end_of_counselling() -> None:
    contact = datetime(2026, 5, 4, 10, tzinfo=UTC)
    ended = datetime(2026, 9, 1, 10, tzinfo=UTC)
    assert due(TRYGGERE, date(2026, 1, 5), contact, ended) == date(2029, 9, 1)


def test_tryggere_client_still_in_counselling_has_a_provisional_date_from_the_last_contact() -> (
    None
):
    assert due(TRYGGERE, date(2026, 1, 5)) == date(2029, 1, 5)
    contact = datetime(2026, 5, 4, 10, tzinfo=UTC)
    assert due(TRYGGERE, date(2026, 1, 5), contact) == date(2029, 5, 4)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 2, 29, 12, tzinfo=UTC), date(2027, 2, 28)),  # leap day
        (datetime(2026, 3, 31, 22, 30, tzinfo=UTC), date(2029, 4, 1)),  # 00:30 in Oslo (CEST)
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2029, 10, 25)),  # night of DST's end
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2030, 1, 1)),  # new year in Oslo
    ],
)
def test_the_clock_counts_oslo_calendar_dates(moment: datetime, expected: date) -> None:
    assert due(NOK_BERGEN, date(2020, 1, 1), moment) == expected
    assert due(TRYGGERE, date(2020, 1, 1), None, moment) == expected


def test_a_profile_without_clients_in_the_registry_is_an_error() -> None:
    activities = {
        k: v for k, v in NOK_BERGEN.processing_activities.items() if k != "contact_register"
    }
    with pytest.raises(LookupError):
        client_rule(NOK_BERGEN.model_copy(update={"processing_activities": activities}))

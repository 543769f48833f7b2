"""The answer deadline (GDPR Art. 12(3) and the centre's own promise) in Oslo calendar dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vern.dsar.requests.deadline import due_date_for, extended_due_date, extension_allowed

from .conftest import profile

TRYGGERE = profile("tryggere").deadlines  # one calendar month
NOKBERGEN = profile("nokbergen").deadlines  # "senest innen 30 dager"


@pytest.mark.parametrize(
    ("received_at", "due"),
    [
        (datetime(2026, 3, 10, 9, 0, tzinfo=UTC), date(2026, 4, 10)),
        (datetime(2025, 1, 31, 12, 0, tzinfo=UTC), date(2025, 2, 28)),
        (datetime(2024, 1, 31, 12, 0, tzinfo=UTC), date(2024, 2, 29)),
        (datetime(2024, 2, 29, 12, 0, tzinfo=UTC), date(2024, 3, 29)),
        (datetime(2026, 12, 15, 12, 0, tzinfo=UTC), date(2027, 1, 15)),
        # 23:30 UTC on 31 January is already 1 February in Oslo (CET, UTC+1).
        (datetime(2025, 1, 31, 23, 30, tzinfo=UTC), date(2025, 3, 1)),
        # 22:30 UTC on 31 March is 00:30 on 1 April in Oslo (CEST, UTC+2).
        (datetime(2026, 3, 31, 22, 30, tzinfo=UTC), date(2026, 5, 1)),
        (datetime(2026, 3, 31, 21, 30, tzinfo=UTC), date(2026, 4, 30)),
    ],
)
def test_request_is_due_one_calendar_month_after_the_oslo_date_of_receipt(
    received_at: datetime, due: date
) -> None:
    assert due_date_for(received_at, TRYGGERE) == due


@pytest.mark.parametrize(
    "received_at",
    [
        # The night clocks went forward (29 March 2026, 02:00 CET -> 03:00 CEST).
        datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # 00:30 CET
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # 01:59 CET
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00 CEST
        datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # 23:59 CEST
    ],
)
def test_a_request_received_in_the_night_of_the_spring_clock_change_counts_from_that_date(
    received_at: datetime,
) -> None:
    assert due_date_for(received_at, TRYGGERE) == date(2026, 4, 29)
    assert due_date_for(received_at, NOKBERGEN) == date(2026, 4, 28)


@pytest.mark.parametrize(
    ("received_at", "due"),
    [
        # The night clocks went back (25 October 2026, 03:00 CEST -> 02:00 CET): 02:30 twice.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), date(2026, 11, 25)),  # 02:30 CEST
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), date(2026, 11, 25)),  # 02:30 CET
        (datetime(2026, 10, 24, 22, 0, tzinfo=UTC), date(2026, 11, 25)),  # 00:00 CEST
        (datetime(2026, 10, 24, 21, 59, tzinfo=UTC), date(2026, 11, 24)),  # 23:59 CEST, the 24th
    ],
)
def test_a_request_received_in_the_night_of_the_autumn_clock_change_counts_from_that_date(
    received_at: datetime, due: date
) -> None:
    assert due_date_for(received_at, TRYGGERE) == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 1), date(2026, 3, 31)),  # 30 days come before 1 April
        (date(2026, 1, 31), date(2026, 2, 28)),  # the month (clamped) comes before 2 March
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2024, 2, 29), date(2024, 3, 29)),  # 30 days and one month agree
        (date(2026, 2, 1), date(2026, 3, 1)),  # February: the month is shorter than 30 days
    ],
)
def test_nok_bergen_answers_by_the_earlier_of_30_days_and_one_calendar_month(
    received: date, due: date
) -> None:
    noon_in_oslo = datetime(received.year, received.month, received.day, 11, 0, tzinfo=UTC)
    assert due_date_for(noon_in_oslo, NOKBERGEN) == due


def test_an_extension_adds_months_to_the_first_due_date_clamped_to_the_month_end() -> None:
    assert extended_due_date(date(2026, 2, 28), 2) == date(2026, 4, 28)
    assert extended_due_date(date(2025, 12, 31), 2) == date(2026, 2, 28)


@pytest.mark.parametrize(("months", "allowed"), [(1, True), (2, True), (3, False)])
def test_an_extension_is_at_most_the_profiles_two_further_months(
    months: int, allowed: bool
) -> None:
    assert extension_allowed(date(2026, 1, 31), months, TRYGGERE) is allowed
    assert extension_allowed(date(2026, 1, 31), months, NOKBERGEN) is allowed

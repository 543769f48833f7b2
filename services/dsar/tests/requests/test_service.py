"""The one-month deadline (GDPR Art. 12(3)) in Oslo calendar dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vern.dsar.requests.service import due_date_for


@pytest.mark.parametrize(
    ("received_at", "due"),
    [
        (datetime(2026, 3, 10, 9, 0, tzinfo=UTC), date(2026, 4, 10)),
        (datetime(2025, 1, 31, 12, 0, tzinfo=UTC), date(2025, 2, 28)),
        (datetime(2024, 1, 31, 12, 0, tzinfo=UTC), date(2024, 2, 29)),
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
    assert due_date_for(received_at) == due

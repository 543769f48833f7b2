"""Anonymous counters: one upsert per event, per month, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from vern.registry.statistics.counters import InvalidCounter, Metric, age_band, increment
from vern.registry.statistics.models import StatisticCounter


def _count(session: Session, metric: str, key: str, year: int, month: int) -> int | None:
    row = session.exec(
        select(StatisticCounter).where(
            StatisticCounter.metric == metric,
            StatisticCounter.key == key,
            StatisticCounter.year == year,
            StatisticCounter.month == month,
        )
    ).first()
    return row.count if row else None


def test_increment_creates_then_adds_to_the_months_counter(db_session: Session) -> None:
    increment(db_session, metric="contacts_by_kind", key="phone", on=date(2026, 3, 1))
    increment(db_session, metric="contacts_by_kind", key="phone", on=date(2026, 3, 31), by=2)
    db_session.expire_all()
    assert _count(db_session, "contacts_by_kind", "phone", 2026, 3) == 3


def test_increment_keeps_months_keys_and_metrics_apart(db_session: Session) -> None:
    increment(db_session, metric=Metric.contacts_by_kind, key="phone", on=date(2026, 3, 31))
    increment(db_session, metric=Metric.contacts_by_kind, key="phone", on=date(2026, 4, 1))
    increment(db_session, metric=Metric.contacts_by_kind, key="email", on=date(2026, 4, 1))
    increment(db_session, metric=Metric.visits, key="phone", on=date(2026, 4, 1))
    db_session.expire_all()
    assert _count(db_session, "contacts_by_kind", "phone", 2026, 3) == 1
    assert _count(db_session, "contacts_by_kind", "phone", 2026, 4) == 1
    assert _count(db_session, "contacts_by_kind", "email", 2026, 4) == 1
    assert _count(db_session, "visits", "phone", 2026, 4) == 1


@pytest.mark.parametrize(
    ("metric", "key", "by"),
    [
        ("favourite_colour", "blue", 1),
        ("heard_about", "Sigrid Fjell", 1),
        ("heard_about", "sigrid@example.org", 1),
        ("heard_about", "", 1),
        ("heard_about", "internet", 0),
    ],
)
def test_increment_refuses_anything_but_a_known_metric_and_a_category_label(
    db_session: Session, metric: str, key: str, by: int
) -> None:
    with pytest.raises(InvalidCounter):
        increment(db_session, metric=metric, key=key, on=date(2026, 3, 1), by=by)
    assert db_session.exec(select(StatisticCounter)).first() is None


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (None, "unknown"),
        (date(2010, 6, 2), "0-15"),
        (date(2010, 6, 1), "16-17"),
        (date(2008, 6, 1), "18-25"),
        (date(1959, 6, 2), "51-66"),
        (date(1959, 6, 1), "67-"),
    ],
)
def test_age_band_counts_whole_years_on_the_day(born: date | None, band: str) -> None:
    assert age_band(born, date(2026, 6, 1)) == band

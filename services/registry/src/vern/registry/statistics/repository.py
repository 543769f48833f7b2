"""Every query on the anonymous counters and on when each year's figures stop being needed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from vern.registry.statistics.models import StatisticCounter, StatisticsRetention


def for_month(*, session: Session, year: int, month: int) -> Sequence[StatisticCounter]:
    """One month's counters, by metric and key."""
    query = (
        select(StatisticCounter)
        .where(StatisticCounter.year == year, StatisticCounter.month == month)
        .order_by(col(StatisticCounter.metric), col(StatisticCounter.key))
    )
    return session.exec(query).all()


def for_year(*, session: Session, year: int) -> Sequence[StatisticCounter]:
    """A year's counters, by metric, key and month."""
    query = (
        select(StatisticCounter)
        .where(StatisticCounter.year == year)
        .order_by(
            col(StatisticCounter.metric), col(StatisticCounter.key), col(StatisticCounter.month)
        )
    )
    return session.exec(query).all()


def year_totals(*, session: Session, year: int) -> list[tuple[str, str, int]]:
    """A year's totals per metric and key."""
    total = func.sum(StatisticCounter.count)
    query = (
        select(StatisticCounter.metric, StatisticCounter.key, total)
        .where(StatisticCounter.year == year)
        .group_by(col(StatisticCounter.metric), col(StatisticCounter.key))
        .order_by(col(StatisticCounter.metric), col(StatisticCounter.key))
    )
    return [(metric, key, int(count)) for metric, key, count in session.exec(query).all()]


def get_retention(*, session: Session, year: int) -> StatisticsRetention | None:
    """When a year's figures stop being needed, if a manager has said so."""
    return session.get(StatisticsRetention, year)


def list_retention(*, session: Session) -> Sequence[StatisticsRetention]:
    """Every year a manager has given a no-longer-needed date for, oldest first."""
    return session.exec(select(StatisticsRetention).order_by(col(StatisticsRetention.year))).all()


def save_retention(*, session: Session, retention: StatisticsRetention) -> None:
    session.add(retention)
    session.flush()


def years_no_longer_needed(*, session: Session, on: date) -> list[int]:
    """Years whose figures are no longer needed on `on` (their date has come), oldest first."""
    query = (
        select(StatisticsRetention.year)
        .where(StatisticsRetention.no_longer_needed_date <= on)
        .order_by(col(StatisticsRetention.year))
    )
    return list(session.exec(query).all())


def due_for_deletion(*, session: Session, on: date, limit: int) -> Sequence[StatisticCounter]:
    """Counters of years whose figures are no longer needed on `on`, oldest year first
    (the anonymous statistics rule: "no longer needed for reporting to Bufdir")."""
    query = (
        select(StatisticCounter)
        .join(StatisticsRetention, col(StatisticsRetention.year) == col(StatisticCounter.year))
        .where(StatisticsRetention.no_longer_needed_date <= on)
        .order_by(col(StatisticCounter.year), col(StatisticCounter.id))
        .limit(limit)
    )
    return session.exec(query).all()


def due_between(*, session: Session, start: date, until: date) -> list[tuple[int, date, int]]:
    """(year, date, number of counters) for years whose figures stop being needed from `start`
    to `until`, for retention previews."""
    query = (
        select(
            col(StatisticsRetention.year),
            col(StatisticsRetention.no_longer_needed_date),
            func.count(col(StatisticCounter.id)),
        )
        .join(StatisticCounter, col(StatisticCounter.year) == col(StatisticsRetention.year))
        .where(StatisticsRetention.no_longer_needed_date >= start)
        .where(StatisticsRetention.no_longer_needed_date <= until)
        .group_by(col(StatisticsRetention.year), col(StatisticsRetention.no_longer_needed_date))
        .order_by(col(StatisticsRetention.year))
    )
    return [(year, when, int(n)) for year, when, n in session.exec(query).all()]


def delete(*, session: Session, counter: StatisticCounter) -> None:
    session.delete(counter)
    session.flush()

"""The one way to count an event for the statistics: `increment`, called when the event happens.

A counter holds a metric, a category label and a month, never a person, an id or free text.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from vern.registry.statistics.models import StatisticCounter

__all__ = ["AGE_BANDS", "InvalidCounter", "Metric", "StatisticCounter", "age_band", "increment"]


class InvalidCounter(ValueError):
    """A counter that could carry personal data or make no sense: a programming error."""


class Metric(StrEnum):
    """What Vern counts (DESIGN.md section 5: contacts, new users, how they heard, activities)."""

    new_clients_by_gender = "new_clients_by_gender"
    new_clients_by_age_band = "new_clients_by_age_band"
    heard_about = "heard_about"
    contacts_by_kind = "contacts_by_kind"
    visits = "visits"
    activities = "activities"
    participants = "participants"


# A category label, never a value someone typed: lower-case words, digits, "_" and "-".
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")

# Age bands (aldersgrupper) for new clients; "unknown" when no birth date is given.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 15, "0-15"),
    (16, 17, "16-17"),
    (18, 25, "18-25"),
    (26, 35, "26-35"),
    (36, 50, "36-50"),
    (51, 66, "51-66"),
    (67, None, "67-"),
)


def age_band(birth_date: date | None, on: date) -> str:
    """The age band of someone born on `birth_date`, on the date `on` ("unknown" without one)."""
    if birth_date is None:
        return "unknown"
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return "unknown"


def increment(session: Session, *, metric: str, key: str, on: date, by: int = 1) -> None:
    """Adds `by` to the counter of `metric`/`key` for the month of `on` (an Oslo date), creating
    it if needed; one statement, safe under concurrent increments on SQLite and PostgreSQL."""
    if metric not in Metric.__members__:
        raise InvalidCounter(f"unknown statistics metric {metric!r}")
    if not _KEY.match(key):
        raise InvalidCounter("a statistics key is a category label: a-z, 0-9, '_' and '-'")
    if by < 1:
        raise InvalidCounter("a counter only grows")
    dialect = session.get_bind().dialect.name
    insert: Any = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    table = StatisticCounter.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(
        metric=str(metric), key=key, year=on.year, month=on.month, count=by
    )
    statement = statement.on_conflict_do_update(
        index_elements=["metric", "key", "year", "month"],
        set_={"count": table.c.count + statement.excluded.count},
    )
    session.execute(statement)

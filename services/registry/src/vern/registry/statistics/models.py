"""Anonymous counters and the date each year's figures stop being needed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class StatisticCounter(SQLModel, table=True):
    """How many times `metric` happened with category `key` in one month.

    No person, id or free text: only a metric name, a category label and a count, so deleting
    every client leaves the statistics as they were."""

    __tablename__ = "statistic_counter"
    __table_args__ = (
        UniqueConstraint("metric", "key", "year", "month", name="uq_statistic_counter_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    metric: str = Field(max_length=64)
    key: str = Field(max_length=64)
    year: int = Field(index=True)
    month: int
    count: int = 0


class StatisticsRetention(SQLModel, table=True):
    """A year's figures are reported to Bufdir and no longer needed from `no_longer_needed_date`
    ("når disse ikke lenger er nødvendige for rapportering til Bufdir og statistikk")."""

    __tablename__ = "statistics_retention"

    year: int = Field(primary_key=True)
    no_longer_needed_date: date = Field(index=True)
    set_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))

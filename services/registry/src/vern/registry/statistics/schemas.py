"""What the statistics API accepts and returns."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class StatisticsCell(BaseModel):
    metric: str
    key: str = Field(description="The category counted, e.g. a gender, an age band or a kind.")
    count: int | None = Field(
        description="null when suppressed: the count is above zero but below the threshold."
    )
    suppressed: bool


class StatisticsTable(BaseModel):
    year: int
    month: int | None = Field(description="null: totals for the whole year.")
    suppression_threshold: int | None = Field(
        description="Counts from 1 up to below this are suppressed; null when nothing is."
    )
    cells: list[StatisticsCell]


class StatisticsRetentionSet(BaseModel):
    """The date from which a year's figures are no longer needed (reported to Bufdir, used in
    the annual report); the retention sweep deletes the year's counters from then on."""

    model_config = ConfigDict(extra="forbid")

    no_longer_needed_date: date


class StatisticsRetentionRead(BaseModel):
    year: int
    no_longer_needed_date: date
    set_at: datetime

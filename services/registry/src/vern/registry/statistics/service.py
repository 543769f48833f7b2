"""The statistics tables and the CSV for the annual report to Bufdir, with small cells suppressed,
and the date each year's figures stop being needed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.errors import FieldError, InvalidInput
from vern.kit.orgprofile import OrgProfile
from vern.registry.statistics import repository as statistics_repository
from vern.registry.statistics.counters import Metric
from vern.registry.statistics.models import StatisticsRetention
from vern.registry.statistics.schemas import (
    StatisticsCell,
    StatisticsRetentionSet,
    StatisticsTable,
)

METRIC_NB: dict[str, str] = {
    Metric.new_clients_by_gender: "Nye brukere etter kjønn",
    Metric.new_clients_by_age_band: "Nye brukere etter aldersgruppe",
    Metric.heard_about: "Hvordan nye brukere fikk høre om senteret",
    Metric.contacts_by_kind: "Henvendelser etter type",
    Metric.visits: "Besøk",
    Metric.activities: "Aktiviteter gjennomført etter type",
    Metric.participants: "Påmeldte deltakere etter type aktivitet",
}
CSV_HEADER = ("metrikk", "beskrivelse", "kategori", "år", "måned", "antall")
WHOLE_YEAR_NB = "hele året"


def _threshold(profile: OrgProfile, suppress: bool) -> int | None:
    return profile.statistics.suppression_threshold if suppress else None


def _cell(metric: str, key: str, count: int, threshold: int | None) -> StatisticsCell:
    suppressed = threshold is not None and 0 < count < threshold
    return StatisticsCell(
        metric=metric, key=key, count=None if suppressed else count, suppressed=suppressed
    )


def _rows(
    session: Session, year: int, month: int | None
) -> Iterable[tuple[str, str, int | None, int]]:
    """(metric, key, month or None for the year, count)."""
    if month is not None:
        for counter in statistics_repository.for_month(session=session, year=year, month=month):
            yield counter.metric, counter.key, month, counter.count
        return
    totals = statistics_repository.year_totals(session=session, year=year)
    months: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for counter in statistics_repository.for_year(session=session, year=year):
        months.setdefault((counter.metric, counter.key), []).append((counter.month, counter.count))
    for metric, key, total in totals:
        for each_month, count in months.get((metric, key), []):
            yield metric, key, each_month, count
        yield metric, key, None, total


def table(
    *,
    session: Session,
    principal: Principal,
    profile: OrgProfile,
    year: int,
    month: int | None,
    suppress: bool,
) -> StatisticsTable:
    """A month's counts, or a year's totals, per metric and category."""
    threshold = _threshold(profile, suppress)
    if month is None:
        counts: Sequence[tuple[str, str, int]] = statistics_repository.year_totals(
            session=session, year=year
        )
    else:
        counters = statistics_repository.for_month(session=session, year=year, month=month)
        counts = [(c.metric, c.key, c.count) for c in counters]
    audit.record(
        session,
        principal=principal,
        action="statistics.read",
        subject_type="statistics",
        subject_id=str(year),
    )
    return StatisticsTable(
        year=year,
        month=month,
        suppression_threshold=threshold,
        cells=[_cell(metric, key, count, threshold) for metric, key, count in counts],
    )


def export_csv(
    *,
    session: Session,
    principal: Principal,
    profile: OrgProfile,
    year: int,
    month: int | None,
    suppress: bool,
) -> str:
    """The CSV for the annual report: one row per metric, category and month, and for a whole
    year also a total row per metric and category (måned "hele året"). A suppressed count is
    written "<threshold", e.g. "<5"."""
    threshold = _threshold(profile, suppress)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for metric, key, row_month, count in _rows(session, year, month):
        cell = _cell(metric, key, count, threshold)
        writer.writerow(
            (
                metric,
                METRIC_NB.get(metric, metric),
                key,
                year,
                WHOLE_YEAR_NB if row_month is None else row_month,
                f"<{threshold}" if cell.suppressed else cell.count,
            )
        )
    audit.record(
        session,
        principal=principal,
        action="statistics.export",
        subject_type="statistics",
        subject_id=str(year),
    )
    return out.getvalue()


def set_retention(
    *, session: Session, principal: Principal, year: int, data: StatisticsRetentionSet
) -> StatisticsRetention:
    """Records that a year's figures are no longer needed from a date; the retention sweep
    deletes that year's counters from then on. The date can be moved while the year remains."""
    if data.no_longer_needed_date <= date(year, 12, 31):
        message = "must be after the end of the year it covers"
        raise InvalidInput(
            f"no_longer_needed_date: {message}",
            errors=[FieldError(field="no_longer_needed_date", message=message)],
        )
    retention = statistics_repository.get_retention(session=session, year=year)
    if retention is None:
        retention = StatisticsRetention(
            year=year, no_longer_needed_date=data.no_longer_needed_date, set_at=now_utc()
        )
    else:
        retention.no_longer_needed_date = data.no_longer_needed_date
        retention.set_at = now_utc()
    statistics_repository.save_retention(session=session, retention=retention)
    audit.record(
        session,
        principal=principal,
        action="statistics.retention_set",
        subject_type="statistics",
        subject_id=str(year),
    )
    return retention


def list_retention(*, session: Session) -> Sequence[StatisticsRetention]:
    """The years given a no-longer-needed date."""
    return statistics_repository.list_retention(session=session)

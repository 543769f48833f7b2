"""Anonymous statistics (statistikk): monthly and yearly tables and the CSV for Bufdir."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from vern.kit.db import SessionDep
from vern.kit.dependencies import profile_of
from vern.kit.errors import InvalidInput, NotFound, problem_responses
from vern.kit.orgprofile import Module
from vern.registry.modules import module_on
from vern.registry.statistics import service as statistics_service
from vern.registry.statistics.dependencies import StatisticsManage, StatisticsRead
from vern.registry.statistics.schemas import (
    StatisticsRetentionRead,
    StatisticsRetentionSet,
    StatisticsTable,
)

router = APIRouter(
    prefix="/statistics",
    tags=["statistics"],
    dependencies=[Depends(module_on(Module.statistics, "statistics"))],
    responses=problem_responses(NotFound),
)

Year = Annotated[int, Query(ge=2000, le=2100, description="The calendar year (Oslo).")]
Month = Annotated[
    int | None, Query(ge=1, le=12, description="A month of the year; left out: the whole year.")
]
Suppress = Annotated[
    bool,
    Query(
        description="Suppress small cells: counts from 1 up to below the org profile's "
        'statistics.suppression_threshold are given as null (CSV: "<threshold", e.g. "<5").'
    ),
]


@router.get("", response_model=StatisticsTable)
def get_statistics(
    request: Request,
    session: SessionDep,
    principal: StatisticsRead,
    year: Year,
    month: Month = None,
    suppress: Suppress = True,
) -> StatisticsTable:
    """A month's counts, or with no month the year's totals, per metric and category."""
    return statistics_service.table(
        session=session,
        principal=principal,
        profile=profile_of(request),
        year=year,
        month=month,
        suppress=suppress,
    )


@router.get(
    "/export.csv",
    response_class=Response,
    responses={
        200: {
            "description": "CSV (RFC 4180, UTF-8): metrikk, beskrivelse, kategori, år, måned, "
            "antall; one row per metric, category and month, and for a whole year also a total "
            'row (måned "hele året").',
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
def export_statistics(
    request: Request,
    session: SessionDep,
    principal: StatisticsRead,
    year: Year,
    month: Month = None,
    suppress: Suppress = True,
) -> Response:
    """The figures for the annual report to Bufdir, as CSV."""
    body = statistics_service.export_csv(
        session=session,
        principal=principal,
        profile=profile_of(request),
        year=year,
        month=month,
        suppress=suppress,
    )
    name = f"statistikk-{year}" + (f"-{month:02d}" if month else "")
    return Response(
        content=body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/retention", response_model=list[StatisticsRetentionRead])
def list_statistics_retention(
    session: SessionDep, principal: StatisticsRead
) -> list[StatisticsRetentionRead]:
    """The years whose figures a manager has said are no longer needed, and from when."""
    return [
        StatisticsRetentionRead.model_validate(r, from_attributes=True)
        for r in statistics_service.list_retention(session=session)
    ]


@router.put(
    "/retention/{year}",
    response_model=StatisticsRetentionRead,
    responses=problem_responses(InvalidInput),
)
def set_statistics_retention(
    data: StatisticsRetentionSet,
    session: SessionDep,
    principal: StatisticsManage,
    year: Annotated[int, Path(ge=2000, le=2100)],
) -> StatisticsRetentionRead:
    """Marks a year's figures as reported and no longer needed from a date; its counters are
    deleted by the retention sweep from that date."""
    retention = statistics_service.set_retention(
        session=session, principal=principal, year=year, data=data
    )
    return StatisticsRetentionRead.model_validate(retention, from_attributes=True)

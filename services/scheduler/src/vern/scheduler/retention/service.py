"""Asks each sweeping service what falls due, counts it per rule and date, and adds what the
last sweeps deleted. A service that does not answer is shown as unavailable, never as zero."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from sqlmodel import Session

from vern.kit.contract import RetentionPreview
from vern.kit.http import ServiceClient
from vern.kit.orgprofile import OrgProfile
from vern.scheduler.obligations import swept_services
from vern.scheduler.retention.schemas import (
    DueCount,
    RetentionOverview,
    RuleCount,
    ServicePreview,
    SweepRecord,
)
from vern.scheduler.runs import repository as run_repository

RECENT_SWEEPS = 5


def overview(
    *,
    session: Session,
    peers: Mapping[str, ServiceClient],
    profile: OrgProfile,
    today: date,
    until: date,
) -> RetentionOverview:
    """What each sweeping service will delete up to `until`, and what its last sweeps deleted."""
    services = swept_services(profile)
    with ThreadPoolExecutor(max_workers=max(len(services), 1)) as pool:
        answers = dict(
            zip(
                services,
                pool.map(lambda service: _ask(peers[service], service, until), services),
                strict=True,
            )
        )
    what = {rule_id: rule.what_nb for rule_id, rule in profile.retention_rules.items()}
    previews = []
    for service in services:
        answer = answers[service]
        due = [] if isinstance(answer, str) else _due_counts(answer, what)
        previews.append(
            ServicePreview(
                service=service,
                available=not isinstance(answer, str),
                error=answer if isinstance(answer, str) else None,
                due=due,
                recent_sweeps=_recent_sweeps(session, service, what),
            )
        )
    return RetentionOverview(today=today, until=until, services=previews)


def _ask(client: ServiceClient, service: str, until: date) -> RetentionPreview | str:
    """The service's preview, or why it could not be had (a status code or an error class)."""
    try:
        response = client.request(
            "GET", f"/{service}/internal/retention/preview", params={"until": until.isoformat()}
        )
        return RetentionPreview.model_validate_json(response.content)
    except httpx.HTTPStatusError as exc:
        return f"HTTP {exc.response.status_code}"
    except Exception as exc:  # unreachable, a timeout, an answer of the wrong shape
        return type(exc).__name__


def _due_counts(preview: RetentionPreview, what: Mapping[str, str]) -> list[DueCount]:
    # Subject ids are counted here and dropped: the preview shows how many, never who.
    counts = Counter((item.rule, item.due_date) for item in preview.items)
    return [
        DueCount(rule=rule, what_nb=what.get(rule), due_date=due_date, count=count)
        for (rule, due_date), count in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def _recent_sweeps(session: Session, service: str, what: Mapping[str, str]) -> list[SweepRecord]:
    runs = run_repository.recent_sweeps(session=session, service=service, limit=RECENT_SWEEPS)
    return [
        SweepRecord(
            run_id=run.id,
            started_at=run.started_at,
            status=run.status,
            dry_run=run.dry_run,
            deleted=[
                RuleCount(rule=rule, what_nb=what.get(rule), count=count)
                for rule, count in sorted(json.loads(run.counts_json or "{}").items())
            ],
        )
        for run in runs
    ]

"""What each job does and when: the registry's retention sweep and its outbox redelivery."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from vern.kit.clock import OSLO
from vern.kit.contract import OutboxDelivery, SweepRequest, SweepResult
from vern.kit.http import ServiceClient
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.peers import REGISTRY

REGISTRY_RETENTION_SWEEP = "registry-retention-sweep"
REGISTRY_OUTBOX = "registry-outbox"


@dataclass(frozen=True)
class JobResult:
    counts: dict[str, int]
    dry_run: bool | None = None


Work = Callable[[Mapping[str, ServiceClient], SchedulerSettings, str], JobResult]


@dataclass(frozen=True)
class JobDefinition:
    id: str
    description: str
    schedule: str  # for people: when it runs
    trigger: BaseTrigger
    work: Work  # called with the peers, the settings and the run id


def sweep_registry(
    peers: Mapping[str, ServiceClient], settings: SchedulerSettings, run_id: str
) -> JobResult:
    """Asks the registry to delete (or, in a dry run, count) what its retention rules say is due."""
    body = SweepRequest(dry_run=settings.sweep_dry_run)
    response = peers[REGISTRY].post(
        "/registry/internal/retention/sweep", json=body.model_dump(), idempotency_key=run_id
    )
    result = SweepResult.model_validate_json(response.content)
    return JobResult(counts=result.counts, dry_run=result.dry_run)


def deliver_registry_outbox(
    peers: Mapping[str, ServiceClient], settings: SchedulerSettings, run_id: str
) -> JobResult:
    """Asks the registry to redeliver the outbox messages whose time has come."""
    response = peers[REGISTRY].post(
        "/registry/internal/outbox/deliver", json=None, idempotency_key=run_id
    )
    return JobResult(counts=OutboxDelivery.model_validate_json(response.content).model_dump())


def plan(settings: SchedulerSettings) -> dict[str, JobDefinition]:
    """The jobs, by id, with their triggers in Europe/Oslo."""
    jobs = [
        JobDefinition(
            id=REGISTRY_RETENTION_SWEEP,
            description="The registry's retention sweep (slettesjekk)",
            schedule=f"cron {settings.sweep_cron} (Europe/Oslo)",
            # On the night clocks go back, 02:00 comes twice and the sweep runs twice; it is
            # idempotent, so the second run finds nothing new. On the night they go forward it
            # runs once, at the jump to 03:00.
            trigger=CronTrigger.from_crontab(settings.sweep_cron, timezone=OSLO),
            work=sweep_registry,
        ),
        JobDefinition(
            id=REGISTRY_OUTBOX,
            description="Redelivery of the registry's outbox",
            schedule=f"every {settings.outbox_interval_seconds} seconds",
            trigger=IntervalTrigger(seconds=settings.outbox_interval_seconds, timezone=OSLO),
            work=deliver_registry_outbox,
        ),
    ]
    return {job.id: job for job in jobs}

"""What each job does and when, planned from the org profile: each service's retention sweep and
outbox redelivery, dsar's deadlines, and the outside systems' retention tasks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session

from vern.kit.clock import OSLO, now_utc
from vern.kit.contract import DeadlineList, OutboxDelivery, SweepRequest, SweepResult
from vern.kit.http import ServiceClient
from vern.kit.orgprofile import OrgProfile, VernService
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.obligations import outside_system_tasks, swept_services
from vern.scheduler.peers import DSAR
from vern.scheduler.tasks import service as task_service

OUTSIDE_SYSTEM_TASKS = "outside-system-tasks"
DSAR_DEADLINES = "dsar-deadlines"
PROVIDER_SYNC = "consent-provider-sync"


def sweep_job_id(service: str) -> str:
    return f"{service}-retention-sweep"


def outbox_job_id(service: str) -> str:
    return f"{service}-outbox"


class Skipped(Exception):
    """The service does not offer the operation (yet): it answered 404. The run is recorded as
    skipped, not failed, so a job planned ahead of its endpoint does not raise alarms."""


@dataclass(frozen=True)
class JobContext:
    peers: Mapping[str, ServiceClient]
    settings: SchedulerSettings
    profile: OrgProfile
    session: Session  # the transaction the run is recorded in; jobs never commit
    run_id: str


@dataclass(frozen=True)
class JobResult:
    counts: dict[str, int]
    dry_run: bool | None = None
    # Rows a sweep really deleted, per retention rule (empty for a dry run and other jobs).
    deleted: dict[str, int] = field(default_factory=dict)


Work = Callable[[JobContext], JobResult]


@dataclass(frozen=True)
class JobDefinition:
    id: str
    description: str
    schedule: str  # for people: when it runs
    trigger: BaseTrigger
    work: Work
    service: str | None = None  # the Vern service it calls


def _post(
    ctx: JobContext,
    service: str,
    path: str,
    body: object,
    *,
    missing_ok: bool,
    timeout: float | None = None,
) -> httpx.Response:
    headers = {"Idempotency-Key": ctx.run_id}
    extra = {"timeout": timeout} if timeout is not None else {}
    try:
        return ctx.peers[service].request("POST", path, json=body, headers=headers, **extra)
    except httpx.HTTPStatusError as exc:
        if missing_ok and exc.response.status_code == 404:
            raise Skipped(f"HTTP 404 from {service}") from None
        raise


def sweep(service: str) -> Work:
    def work(ctx: JobContext) -> JobResult:
        """Asks the service to delete what its retention rules say is due today."""
        body = SweepRequest(
            dry_run=ctx.settings.sweep_dry_run, batch_size=ctx.settings.sweep_batch_size
        )
        path = f"/{service}/internal/retention/sweep"
        # A sweep works through every batch before it answers: it gets far longer than a call.
        response = _post(
            ctx,
            service,
            path,
            body.model_dump(),
            missing_ok=False,
            timeout=ctx.settings.sweep_timeout_seconds,
        )
        result = SweepResult.model_validate_json(response.content)
        deleted = {} if result.dry_run else {rule: n for rule, n in result.counts.items() if n}
        return JobResult(counts=result.counts, dry_run=result.dry_run, deleted=deleted)

    return work


def deliver_outbox(service: str) -> Work:
    def work(ctx: JobContext) -> JobResult:
        """Asks the service to redeliver the outbox messages whose time has come."""
        path = f"/{service}/internal/outbox/deliver"
        response = _post(ctx, service, path, None, missing_ok=True)
        return JobResult(counts=OutboxDelivery.model_validate_json(response.content).model_dump())

    return work


def sync_newsletter_providers(ctx: JobContext) -> JobResult:
    """Asks consent to push confirmed subscribers to SendGrid or Mailchimp and to take off, by the
    provider's contact id, the addresses Vern has deleted."""
    response = _post(ctx, "consent", "/consent/internal/providers/sync", None, missing_ok=False)
    counts = response.json()
    return JobResult(counts={k: v for k, v in counts.items() if isinstance(v, int)})


def remind_deadlines(ctx: JobContext) -> JobResult:
    """Reads dsar's open deadlines and keeps one reminder task per request and breach."""
    try:
        response = ctx.peers[DSAR].request("GET", "/dsar/internal/deadlines")
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code == 404:
            raise Skipped("HTTP 404 from dsar") from None
        raise
    deadlines = DeadlineList.model_validate_json(response.content).deadlines
    # A savepoint: if this fails half-way, nothing of it stays and the failed run is recorded.
    with ctx.session.begin_nested():
        counts = task_service.sync_deadline_tasks(
            session=ctx.session,
            deadlines=deadlines,
            now=now_utc(),
            reminder_days=ctx.settings.request_reminder_days,
        )
    # dsar e-mails the handlers the reminders that have fallen due (each once).
    try:
        sent = _post(ctx, DSAR, "/dsar/internal/reminders/send", None, missing_ok=True)
        counts["reminders_sent"] = int(sent.json().get("sent", 0))
    except Skipped:
        counts["reminders_sent"] = 0
    return JobResult(counts=counts)


def hand_out_outside_system_tasks(ctx: JobContext) -> JobResult:
    """Hands out each outside system's retention task when its period has come round."""
    with ctx.session.begin_nested():
        counts = task_service.hand_out_outside_system_tasks(
            session=ctx.session,
            profile=ctx.profile,
            now=now_utc(),
            due_days=ctx.settings.task_due_days,
        )
    return JobResult(counts=counts)


def plan(settings: SchedulerSettings, profile: OrgProfile) -> dict[str, JobDefinition]:
    """The jobs, by id, with their triggers in Europe/Oslo."""
    jobs = [
        JobDefinition(
            id=sweep_job_id(service),
            description=f"Slettesjekk (retention sweep) in {service}",
            schedule=f"cron {settings.sweep_cron} (Europe/Oslo)",
            # On the night clocks go back, 02:00 comes twice and the sweep runs twice; it is
            # idempotent, so the second run finds nothing new. On the night they go forward it
            # runs once, at the jump to 03:00.
            trigger=CronTrigger.from_crontab(settings.sweep_cron, timezone=OSLO),
            work=sweep(service),
            service=service,
        )
        for service in swept_services(profile)
    ]
    jobs += [
        JobDefinition(
            id=outbox_job_id(service.value),
            description=f"Redelivery of the outbox of {service.value}",
            schedule=f"every {settings.outbox_interval_seconds} seconds",
            trigger=IntervalTrigger(seconds=settings.outbox_interval_seconds, timezone=OSLO),
            work=deliver_outbox(service.value),
            service=service.value,
        )
        for service in VernService
        if profile.modules.service_is_on(service)
    ]
    if profile.modules.newsletter and any(
        lst.provider_list_id for lst in profile.newsletter_lists.values()
    ):
        jobs.append(
            JobDefinition(
                id=PROVIDER_SYNC,
                description="Newsletter subscribers pushed to and removed from the provider",
                schedule=f"every {settings.provider_sync_interval_minutes} minutes",
                trigger=IntervalTrigger(
                    minutes=settings.provider_sync_interval_minutes, timezone=OSLO
                ),
                work=sync_newsletter_providers,
                service="consent",
            )
        )
    if profile.modules.dsar or profile.modules.breaches:
        jobs.append(
            JobDefinition(
                id=DSAR_DEADLINES,
                description="Reminders of request due dates and the breach notification clock",
                schedule=f"every {settings.deadline_interval_minutes} minutes",
                trigger=IntervalTrigger(minutes=settings.deadline_interval_minutes, timezone=OSLO),
                work=remind_deadlines,
                service=DSAR,
            )
        )
    if outside_system_tasks(profile):
        jobs.append(
            JobDefinition(
                id=OUTSIDE_SYSTEM_TASKS,
                description="Retention tasks for outside systems (phone, paper archive, ...)",
                schedule=f"cron {settings.tasks_cron} (Europe/Oslo)",
                trigger=CronTrigger.from_crontab(settings.tasks_cron, timezone=OSLO),
                work=hand_out_outside_system_tasks,
            )
        )
    return {job.id: job for job in jobs}

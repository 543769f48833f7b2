"""Scheduler settings, read from `SCHEDULER_*` environment variables."""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger
from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from vern.kit.clock import OSLO
from vern.kit.settings import ServiceSettings


class SchedulerSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SCHEDULER_", env_nested_delimiter="__", extra="ignore"
    )

    service_name: str = "scheduler"
    audience: str = "urn:vern:scheduler"
    database_url: str = "sqlite:///./var/scheduler.db"
    keystore_url: str = "sqlite:///./var/scheduler-keys.db"  # opened by the app; holds nothing
    client_id: str = "vern-scheduler"
    client_secret: str = "dev-secret-vern-scheduler"  # noqa: S105 - refused outside development
    registry_url: str = "http://localhost:8001"
    registry_audience: str = "urn:vern:registry"
    consent_url: str = "http://localhost:8002"
    consent_audience: str = "urn:vern:consent"
    dsar_url: str = "http://localhost:8003"
    dsar_audience: str = "urn:vern:dsar"
    # Crontabs (minute hour day month weekday) in Europe/Oslo: the nightly retention sweeps, and
    # the daily check that hands out the outside systems' retention tasks.
    sweep_cron: str = "0 2 * * *"
    tasks_cron: str = "0 6 * * *"
    # Sweeps delete. Switch to counting only (dry run) to investigate a suspected fault.
    sweep_dry_run: bool = False
    sweep_batch_size: int = Field(default=500, ge=1, le=10_000)
    # A sweep answers when all its batches are done; a retry after a timeout re-sends it (the
    # services' sweeps are resumable), so give it time rather than retries.
    sweep_timeout_seconds: float = Field(default=900.0, gt=0)
    outbox_interval_seconds: int = Field(default=60, ge=1)
    deadline_interval_minutes: int = Field(default=15, ge=1)
    # Confirmed newsletter subscribers pushed to the lists' providers, and removed ones taken off.
    provider_sync_interval_minutes: int = Field(default=15, ge=1)
    # A request's reminder task is handed out this many days before its due date; a breach's
    # at once (its 72-hour clock is shorter than any notice).
    request_reminder_days: int = Field(default=7, ge=0, le=31)
    # An outside system's retention task is due this many days after it is handed out, or by the
    # next one if that comes sooner.
    task_due_days: int = Field(default=14, ge=1, le=366)
    # Off in processes that must not fire jobs (tests, tools).
    start_jobs: bool = True
    # PostgreSQL: one replica holds this advisory lock and fires jobs; the others retry this often.
    lock_key: int = 0x7665726E5F736368  # "vern_sch"
    lock_retry_seconds: float = Field(default=5.0, gt=0, le=300)

    @field_validator("sweep_cron", "tasks_cron")
    @classmethod
    def _is_a_crontab(cls, value: str) -> str:
        CronTrigger.from_crontab(value, timezone=OSLO)
        return value

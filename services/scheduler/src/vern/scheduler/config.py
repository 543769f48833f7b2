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
    # Crontab (minute hour day month weekday) in Europe/Oslo.
    sweep_cron: str = "0 2 * * *"
    # The sweep only counts what is due until real deletion is switched on.
    sweep_dry_run: bool = True
    outbox_interval_seconds: int = Field(default=60, ge=1)
    # Off in processes that must not fire jobs (tests, a stand-by replica).
    start_jobs: bool = True

    @field_validator("sweep_cron")
    @classmethod
    def _is_a_crontab(cls, value: str) -> str:
        CronTrigger.from_crontab(value, timezone=OSLO)
        return value

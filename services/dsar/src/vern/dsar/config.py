"""Dsar settings, read from `DSAR_*` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from vern.kit.settings import ServiceSettings


class DsarSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DSAR_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "dsar"
    audience: str = "urn:vern:dsar"
    database_url: str = "sqlite:///./var/dsar.db"
    keystore_url: str = "sqlite:///./var/dsar-keys.db"
    client_id: str = "vern-dsar"
    client_secret: str = "dev-secret-vern-dsar"  # noqa: S105 - refused outside development
    registry_url: str = "http://localhost:8001"
    registry_audience: str = "urn:vern:registry"
    consent_url: str = "http://localhost:8002"
    consent_audience: str = "urn:vern:consent"

    # Deadline reminders (vern.dsar.reminders): e-mail over SMTP to the address of whoever keeps
    # the deadlines (the manager's or a shared mailbox); nothing is sent while it is unset.
    reminder_to: str | None = None
    mail_from: str = "vern@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=1025, ge=1, le=65535)  # the dev runner's SMTP sink
    smtp_start_tls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    # Where staff open Vern, for the links in reminders.
    staff_base_url: str = "http://localhost:5173"

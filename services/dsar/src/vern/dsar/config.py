"""Dsar settings, read from `DSAR_*` environment variables."""

from __future__ import annotations

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

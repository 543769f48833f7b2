"""Consent settings, read from `CONSENT_*` environment variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from vern.kit.settings import ServiceSettings


class ConsentSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="CONSENT_", env_nested_delimiter="__", extra="ignore"
    )

    service_name: str = "consent"
    audience: str = "urn:vern:consent"
    database_url: str = "sqlite:///./var/consent.db"
    keystore_url: str = "sqlite:///./var/consent-keys.db"
    client_id: str = "vern-consent"
    client_secret: str = "dev-secret-vern-consent"  # noqa: S105 - refused outside development

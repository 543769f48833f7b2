"""Registry settings, read from `REGISTRY_*` environment variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from vern.kit.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="REGISTRY_", env_nested_delimiter="__", extra="ignore"
    )

    service_name: str = "registry"
    audience: str = "urn:vern:registry"
    database_url: str = "sqlite:///./var/registry.db"
    keystore_url: str = "sqlite:///./var/registry-keys.db"
    client_id: str = "vern-registry"
    client_secret: str = "dev-secret-vern-registry"  # noqa: S105 - refused outside development
    consent_url: str = "http://localhost:8002"
    consent_audience: str = "urn:vern:consent"
    # Send outbox messages right after the request commits (the scheduler redelivers the rest).
    deliver_after_commit: bool = True
    # The SPA's public address; the privacy notice links to its "Mine opplysninger" page.
    app_public_url: str = "http://localhost:8080"

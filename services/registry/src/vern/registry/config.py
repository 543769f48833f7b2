"""Registry settings, read from `REGISTRY_*` environment variables."""

from __future__ import annotations

from pydantic import field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from vern.kit.settings import ServiceSettings
from vern.kit.webhooks import DEV_WEBHOOK_SECRET, check_secret


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="REGISTRY_",
        env_nested_delimiter="__",
        extra="ignore",
        hide_input_in_errors=True,  # a refused secret is never printed
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
    # The journal vendor's webhook endpoint and the `whsec_` secret Vern signs its events with
    # (module journal_vendor; which vendor is told comes from the org profile).
    journal_webhook_url: str = "http://localhost:8010/webhooks/vern"
    journal_webhook_secret: str = DEV_WEBHOOK_SECRET

    @field_validator("journal_webhook_secret")
    @classmethod
    def _well_formed_webhook_secret(cls, value: str) -> str:
        return check_secret(value)

    @model_validator(mode="after")
    def _refuse_dev_webhook_secret_in_production(self) -> RegistrySettings:
        if self.environment == "production" and self.journal_webhook_secret == DEV_WEBHOOK_SECRET:
            raise ValueError(
                "refusing to start in production: journal_webhook_secret is the development secret"
            )
        return self

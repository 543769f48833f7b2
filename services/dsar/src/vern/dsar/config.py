"""Dsar settings, read from `DSAR_*` environment variables."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from vern.dsar.receipts.signing import DEV_RECEIPT_SIGNING_KEY, load_signing_key
from vern.kit.settings import ServiceSettings
from vern.kit.webhooks import DEV_WEBHOOK_SECRET, check_secret


class DsarSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="DSAR_",
        env_nested_delimiter="__",
        extra="ignore",
        hide_input_in_errors=True,  # a refused secret or key is never printed
    )

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

    # The journal vendor (profile module journal_vendor): where an erasure's signed webhook goes
    # and the `whsec_` secret it is signed with. The vendor answers at
    # POST /dsar/vendor/tasks/{id}/result with a client-credentials token holding scope `journal`.
    journal_webhook_url: str = "http://localhost:8010/webhooks/vern"
    journal_webhook_secret: str = DEV_WEBHOOK_SECRET

    # Erasure receipts are signed (ES256) with this private JWK; its public half, and the public
    # JWKs of keys retired by a rotation, are published at /dsar/.well-known/jwks.json.
    receipt_signing_key: str = DEV_RECEIPT_SIGNING_KEY
    receipt_retired_keys: list[dict[str, str]] = Field(default_factory=list)

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

    @field_validator("journal_webhook_secret")
    @classmethod
    def _well_formed_webhook_secret(cls, value: str) -> str:
        return check_secret(value)

    @field_validator("receipt_signing_key")
    @classmethod
    def _usable_signing_key(cls, value: str) -> str:
        load_signing_key(value)
        return value

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_production(self) -> DsarSettings:
        if self.environment != "production":
            return self
        if self.journal_webhook_secret == DEV_WEBHOOK_SECRET:
            raise ValueError(
                "refusing to start in production: journal_webhook_secret is the development secret"
            )
        if self.receipt_signing_key == DEV_RECEIPT_SIGNING_KEY:
            raise ValueError(
                "refusing to start in production: receipt_signing_key is the development key"
            )
        return self

"""Consent settings, read from `CONSENT_*` environment variables."""

from __future__ import annotations

from pydantic import Field
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

    # Public pages and the e-mail they send (vern.consent.subscriptions, vern.consent.mail).
    # `public_base_url` is where /consent/... is reachable from a subscriber's mail client.
    public_base_url: str = "http://localhost:8080"
    # Where the links in e-mails to unsubscribe lead: the SPA's unsubscribe page, which takes the
    # token after "#" (so it never reaches a server log) and completes the unsubscribe with it.
    # Unset: consent's own page at /consent/unsubscribe/{token}. The List-Unsubscribe header
    # always names consent's one-click endpoint (RFC 8058).
    unsubscribe_page_url: str | None = "http://localhost:8080/nyhetsbrev/avmelding"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=1025, ge=1, le=65535)  # the dev runner's SMTP sink
    smtp_start_tls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    mail_from: str = "nyhetsbrev@localhost"
    # An optional mailto in List-Unsubscribe (its subject carries the token, never the address).
    unsubscribe_mailto: str | None = None
    # Try to send queued e-mail right after the request commits (tests turn this off and send
    # explicitly); what fails waits for POST /consent/internal/outbox/deliver.
    deliver_after_commit: bool = True
    # Unconfirmed subscription requests are deleted when their link expires.
    confirmation_valid_days: int = Field(default=7, ge=1, le=90)
    # Requests from one IP address (truncated) to the public forms that send e-mail
    # (`limits` notation, e.g. "5/minute;20/hour").
    public_form_rate_limit: str = "5/minute;30/hour"
    # Where the counts live: per process by default; e.g. "redis://..." to share across replicas.
    public_form_rate_limit_storage: str = "memory://"

    # Self-service (vern.consent.me): a client proves an address with a short-lived JWS dsar signs
    # (typ vern-email-proof+jwt), verified against dsar's published keys, cached for
    # `jwks_cache_seconds` and refetched when a proof names an unknown key.
    dsar_jwks_url: str = "http://127.0.0.1:8003/dsar/.well-known/jwks.json"
    dsar_proof_issuer: str = "urn:vern:dsar"

    # Provider webhooks (vern.consent.webhooks). The SendGrid verification key is the base64 DER
    # (SubjectPublicKeyInfo) public key SendGrid shows for the signed event webhook; without it
    # every SendGrid call is refused. Mailchimp's secret is the last path segment of the webhook
    # URL registered at Mailchimp; without it the Mailchimp endpoint answers 404.
    sendgrid_webhook_public_key: str | None = None
    sendgrid_webhook_max_age_seconds: int = Field(default=600, ge=1)
    sendgrid_webhook_max_future_seconds: int = Field(default=120, ge=0)
    # SendGrid batches many events in one call: its body may be larger than other requests'.
    sendgrid_webhook_max_body_bytes: int = Field(default=8_388_608, ge=1024)
    mailchimp_webhook_secret: str | None = Field(default=None, min_length=32)
    # Processed event ids are kept this long to recognise SendGrid's redeliveries (it retries
    # for up to 24 hours).
    webhook_event_retention_days: int = Field(default=7, ge=1)

    # Provider sync (vern.consent.providers). Mailchimp's data centre is the key's suffix
    # (`...-us21` -> https://us21.api.mailchimp.com).
    sendgrid_api_key: str | None = None
    sendgrid_api_url: str = "https://api.sendgrid.com"
    mailchimp_api_key: str | None = None
    mailchimp_api_url: str | None = None  # derived from the key's data centre when unset
    provider_timeout_seconds: float = 10.0
    provider_retries: int = 3

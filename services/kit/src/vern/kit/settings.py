"""Settings shared by every service: environment, databases, keys, trusted issuers, outgoing identity."""

from __future__ import annotations

import base64
from ipaddress import ip_network
from pathlib import Path
from typing import Literal

from limits import parse_many
from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

# Dev-only key material. Settings refuse to start with any of these outside development and test.
DEV_KEK = base64.b64encode(b"vern-dev-key-encryption-key-0001").decode()
DEV_BLIND_INDEX_KEY = base64.b64encode(b"vern-dev-blind-index-key-0000001").decode()
DEV_SECRET_PREFIX = "dev-secret-"  # noqa: S105 - a marker, not a secret


DEFAULT_RATE_LIMITS = {
    "public": "60/minute;1000/hour",  # pages and forms anyone may open
    "link": "600/minute",  # links from e-mails (confirm, one-click unsubscribe)
    "webhook": "3000/minute",  # newsletter providers' webhooks
}


def resolve_profile_path(value: str) -> Path:
    """An org profile path as given, or else relative to the checkout (`deploy/orgs/...`)."""
    path = Path(value)
    if path.is_absolute() or path.exists():
        return path
    return Path(__file__).resolve().parents[5] / path


class TrustedIssuer(BaseModel):
    """One identity provider whose access tokens a service accepts."""

    issuer: str
    jwks_uri: str | None = None  # discovered from /.well-known/openid-configuration when absent
    kind: Literal["staff", "citizen", "machine"] = "staff"
    national_id_claim: str = "nnin"
    roles_claim: str = "roles"


class ServiceSettings(BaseSettings):
    """Base settings; each service subclasses with its own `env_prefix` (e.g. REGISTRY_)."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    service_name: str = "vern"
    environment: Environment = "development"
    database_url: str = "sqlite:///./var/vern.db"
    keystore_url: str = "sqlite:///./var/vern-keys.db"

    # Key-encryption keys by id (base64, 32 bytes); `active_kek_id` wraps new subject keys.
    keks: dict[str, str] = Field(default_factory=lambda: {"dev-1": DEV_KEK})
    active_kek_id: str = "dev-1"
    # Blind-index keys (base64, 32 bytes): `blind_index_key` makes unversioned values; keys in
    # `blind_index_keys` make values that name their id. The active one makes new values, every
    # configured one is tried by lookups; set `blind_index_key` empty once a rotation has
    # re-indexed everything under a versioned key.
    blind_index_key: str | None = DEV_BLIND_INDEX_KEY
    blind_index_keys: dict[str, str] = Field(default_factory=dict)
    active_blind_index_key_id: str | None = None

    # Incoming tokens.
    audience: str = "urn:vern:service"
    issuers: list[TrustedIssuer] = Field(
        default_factory=lambda: [
            TrustedIssuer(issuer="http://localhost:9000", kind="staff"),
        ]
    )
    second_factor_amr: list[str] = Field(default_factory=lambda: ["mfa", "otp", "hwk", "BID"])
    staff_acr_values: list[str] = Field(default_factory=list)
    citizen_acr_values: list[str] = Field(
        default_factory=lambda: ["urn:bankid:bid;LOA=4", "idporten-loa-high"]
    )
    jwks_cache_seconds: int = 3600
    leeway_seconds: int = 30

    # Outgoing calls to other services (client credentials).
    token_issuer: str = "http://localhost:9000"  # noqa: S105 - an issuer URL, not a secret
    client_id: str = ""
    client_secret: str = ""
    http_timeout_seconds: float = 5.0
    http_retries: int = 3

    org_profile: str = "deploy/orgs/nokbergen.yaml"
    log_level: str = "INFO"
    json_logs: bool = True

    # Hostile input (vern.kit.hardening): bodies larger than this are refused with 413 whether
    # they announce their length or are chunked; JSON nested deeper than this is refused with 422.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_json_depth: int = Field(default=32, ge=2)
    # Origins a browser may call the API from (CORS). Empty: same origin only (the SPA is served
    # behind the same proxy). Exact origins only; a wildcard is refused.
    cors_origins: list[str] = Field(default_factory=list)
    # Rate limits of the public endpoints by kind (`limits` notation), per truncated client
    # network; counted per process unless `rate_limit_storage` names a shared store (redis://...).
    # Kinds left out keep their defaults (DEFAULT_RATE_LIMITS).
    rate_limits: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    rate_limit_storage: str = "memory://"
    # Who may read GET /<svc>/metrics: direct calls (no proxy in between) from these networks.
    metrics_networks: list[str] = Field(
        default_factory=lambda: [
            "127.0.0.0/8",
            "::1/128",
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "fc00::/7",
        ]
    )

    @field_validator("rate_limits", mode="after")
    @classmethod
    def _keep_default_rate_limits(cls, value: dict[str, str]) -> dict[str, str]:
        return {**DEFAULT_RATE_LIMITS, **value}

    @field_validator("blind_index_key", mode="before")
    @classmethod
    def _empty_means_no_unversioned_key(cls, value: object) -> object:
        # Set empty once a rotation has re-indexed everything (unset would mean the dev key).
        return None if value == "" else value

    @model_validator(mode="after")
    def _refuse_dev_secrets_outside_development(self) -> ServiceSettings:
        if self.active_kek_id not in self.keks:
            raise ValueError("active_kek_id names no key in keks")
        if self.active_blind_index_key_id is None and self.blind_index_key is None:
            raise ValueError("no active blind-index key: set blind_index_key or the active id")
        if (
            self.active_blind_index_key_id is not None
            and self.active_blind_index_key_id not in self.blind_index_keys
        ):
            raise ValueError("active_blind_index_key_id names no key in blind_index_keys")
        for origin in self.cors_origins:
            if "*" in origin or not origin.startswith(("https://", "http://")):
                raise ValueError("cors_origins takes exact origins (https://host), no wildcard")
        for spec in self.rate_limits.values():
            parse_many(spec)  # a typo stops the service at start-up, not at the first request
        for network in self.metrics_networks:
            ip_network(network)
        if self.environment != "production":
            return self
        problems = []
        if DEV_KEK in self.keks.values():
            problems.append("keks holds the development key")
        if DEV_BLIND_INDEX_KEY in (self.blind_index_key, *self.blind_index_keys.values()):
            problems.append("a blind-index key is the development key")
        if self.client_secret.startswith(DEV_SECRET_PREFIX):
            problems.append("client_secret is a development secret")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

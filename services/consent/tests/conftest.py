"""Consent test setup: the kit's pytest plugin does the rest (see vern.kit.testing.plugin)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from vern.consent import main
from vern.consent.config import ConsentSettings
from vern.kit.auth import TokenVerifier
from vern.kit.crypto import Vault
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import ServiceSettings
from vern.kit.testing.plugin import ServiceSpec
from vern.kit.testing.tokens import Tokens

AUDIENCE = "urn:vern:consent"
PUBLIC_BASE_URL = "https://vern.example.no"
UNSUBSCRIBE_PAGE_URL = PUBLIC_BASE_URL + "/nyhetsbrev/avmelding"
COORDINATOR = "coordinator-1"

# What the registry's outbox sends when a client opts in to the newsletter at intake.
OPT_IN = {
    "subject_ref": "8b0e7c1e-3f5d-4c59-9a8e-0d6f3c2b1a11",
    "purpose": "newsletter",
    "event": "given",
    "source": "staff",
    "actor": COORDINATOR,
    "email": "Sigrid.Fjell@Example.org",
}


def _create_app(settings: ServiceSettings, verifier: TokenVerifier) -> FastAPI:
    assert isinstance(settings, ConsentSettings)
    settings.deliver_after_commit = False  # the rolled-back test transaction is sent explicitly
    settings.public_base_url = PUBLIC_BASE_URL
    settings.unsubscribe_page_url = UNSUBSCRIBE_PAGE_URL
    return main.create_app(settings, verifier)


@pytest.fixture(scope="session")
def vern_service() -> ServiceSpec:
    return ServiceSpec(
        name="consent",
        audience=AUDIENCE,
        settings_class=ConsentSettings,
        create_app=_create_app,
        migrations=migrations_dir(main.__file__),
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limit(vern_app: FastAPI) -> None:
    """Each test starts with no requests counted against the public forms."""
    vern_app.state.form_rate_limiter.reset()


@pytest.fixture
def vault(vern_app: FastAPI) -> Vault:
    app_vault: Vault = vern_app.state.vault
    return app_vault


async def record(
    client: httpx.AsyncClient, auth: Tokens, *, key: str | None = None, **changes: Any
) -> dict[str, Any]:
    """Posts a consent event as the registry's outbox does; returns the answer."""
    response = await client.post(
        "/consent/internal/consents",
        json={**OPT_IN, **changes},
        headers={**auth.machine(), "Idempotency-Key": key or str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body

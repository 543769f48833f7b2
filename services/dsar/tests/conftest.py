"""Dsar test setup: the kit's pytest plugin does the rest (see vern.kit.testing.plugin)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from vern.dsar import main
from vern.dsar.config import DsarSettings
from vern.dsar.peers import peers
from vern.kit.auth import TokenVerifier
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import ServiceSettings
from vern.kit.testing import free_port
from vern.kit.testing.plugin import ServiceSpec
from vern.kit.webhooks import WebhookClient

from .fakes import FakeService, FakeVendor, FixedToken, Peers
from .smtp import Inbox

AUDIENCE = "urn:vern:dsar"
MANAGER = "manager-1"
COUNSELLOR = "counsellor-1"
OTHER_COUNSELLOR = "counsellor-2"

# Invented people with valid test fødselsnummer.
SOLVEIG = {"national_id": "15076500565", "email": "solveig.tveit@example.org"}
OTHER_NATIONAL_ID = "14038543882"


def _create_app(settings: ServiceSettings, verifier: TokenVerifier) -> FastAPI:
    assert isinstance(settings, DsarSettings)
    return main.create_app(settings, verifier)


@pytest.fixture(scope="session")
def vern_service() -> ServiceSpec:
    return ServiceSpec(
        name="dsar",
        audience=AUDIENCE,
        settings_class=DsarSettings,
        create_app=_create_app,
        migrations=migrations_dir(main.__file__),
    )


@pytest.fixture(autouse=True)
def services(vern_app: FastAPI, vern_settings: ServiceSettings) -> Iterator[Peers]:
    """Fake registry and consent services behind the app's real service clients (for every
    test, so that no test reaches a real service on this machine)."""
    assert isinstance(vern_settings, DsarSettings)
    fakes = Peers(
        registry=FakeService("registry", port=8001),
        consent=FakeService("consent", port=8002),
        credentials=FixedToken(),
    )
    # Two attempts keep the failure tests quick; the retry itself is the kit's.
    settings = vern_settings.model_copy(update={"http_retries": 2})
    original = vern_app.state.peers
    vern_app.state.peers = peers(
        settings, credentials=fakes.credentials, transport=httpx.MockTransport(fakes.route)
    )
    vendor = vern_app.state.journal_vendor
    fakes.vendor = FakeVendor(settings.journal_webhook_secret)
    vern_app.state.journal_vendor = WebhookClient(
        url=settings.journal_webhook_url,
        secret=settings.journal_webhook_secret,
        transport=httpx.MockTransport(fakes.vendor.handle),
    )
    yield fakes
    vern_app.state.peers = original
    vern_app.state.journal_vendor = vendor


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    """A real local SMTP server for the session (see smtp.py)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()

"""Scheduler test setup: the kit's pytest plugin does the rest (see vern.kit.testing.plugin)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from vern.kit.auth import TokenVerifier
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import ServiceSettings
from vern.kit.testing.plugin import ServiceSpec
from vern.scheduler import main
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs.runner import JobRunner
from vern.scheduler.peers import peers

from .fakes import FakeRegistry, FixedToken

AUDIENCE = "urn:vern:scheduler"


def _create_app(settings: ServiceSettings, verifier: TokenVerifier) -> FastAPI:
    assert isinstance(settings, SchedulerSettings)
    return main.create_app(settings, verifier)


@pytest.fixture(scope="session")
def vern_service() -> ServiceSpec:
    return ServiceSpec(
        name="scheduler",
        audience=AUDIENCE,
        settings_class=SchedulerSettings,
        create_app=_create_app,
        migrations=migrations_dir(main.__file__),
    )


def use_registry(app: FastAPI, settings: SchedulerSettings, registry: FakeRegistry) -> None:
    """Points the app's job runner at a fake registry, through the real service client."""
    app.state.runner = JobRunner(
        engine=app.state.engine,
        settings=settings,
        jobs=app.state.jobs,
        peers=peers(
            settings, credentials=FixedToken(), transport=httpx.MockTransport(registry.handle)
        ),
    )


@pytest.fixture
def registry(vern_app: FastAPI, vern_settings: ServiceSettings) -> Iterator[FakeRegistry]:
    assert isinstance(vern_settings, SchedulerSettings)
    fake = FakeRegistry()
    original = vern_app.state.runner
    # Two attempts keep the failure tests quick; the retry itself is the kit's.
    use_registry(vern_app, vern_settings.model_copy(update={"http_retries": 2}), fake)
    yield fake
    vern_app.state.runner = original

"""Scheduler test setup: the kit's pytest plugin does the rest (see vern.kit.testing.plugin)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, delete

from vern.kit.auth import TokenVerifier
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import ServiceSettings
from vern.kit.testing.plugin import ServiceSpec
from vern.scheduler import main
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs.runner import JobRunner
from vern.scheduler.peers import peers
from vern.scheduler.runs.models import JobRun, RetentionDeletion
from vern.scheduler.tasks.models import Task

from .fakes import FakeServices, FixedToken

AUDIENCE = "urn:vern:scheduler"
ON_POSTGRES = os.environ.get("VERN_TEST_DB", "sqlite") == "postgresql"
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL only (VERN_TEST_DB)")


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


def use_services(app: FastAPI, settings: SchedulerSettings, fakes: FakeServices) -> None:
    """Points the app's job runner at fake services, through the real service clients."""
    app.state.runner = JobRunner(
        engine=app.state.engine,
        settings=settings,
        profile=app.state.profile,
        jobs=app.state.jobs,
        peers=peers(
            settings, credentials=FixedToken(), transport=httpx.MockTransport(fakes.handle)
        ),
    )


@pytest.fixture
def services(vern_app: FastAPI, vern_settings: ServiceSettings) -> Iterator[FakeServices]:
    assert isinstance(vern_settings, SchedulerSettings)
    fake = FakeServices()
    original = vern_app.state.runner
    # Two attempts keep the failure tests quick; the retry itself is the kit's.
    use_services(vern_app, vern_settings.model_copy(update={"http_retries": 2}), fake)
    yield fake
    vern_app.state.runner = original


@pytest.fixture
def committed(vern_app: FastAPI) -> Iterator[None]:
    """For tests whose jobs commit in their own transactions: clears what they stored."""
    yield
    with Session(vern_app.state.engine) as session:
        for table in (RetentionDeletion, JobRun, Task):
            session.exec(delete(table))  # type: ignore[call-overload]
        session.commit()

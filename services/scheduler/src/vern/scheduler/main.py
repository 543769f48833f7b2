"""The scheduler service: plans retention sweeps, outbox redelivery, deadline reminders and
outside systems' retention tasks from the org profile, fires them while it holds the lock, and
records every run."""

from __future__ import annotations

from fastapi import FastAPI

from vern.kit.app import create_service_app
from vern.kit.auth import TokenVerifier
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs import planner
from vern.scheduler.jobs.definitions import plan
from vern.scheduler.jobs.router import plan_router
from vern.scheduler.jobs.router import router as jobs_router
from vern.scheduler.jobs.runner import JobRunner
from vern.scheduler.monitoring.metrics import scheduler_collector
from vern.scheduler.monitoring.router import router as monitoring_router
from vern.scheduler.peers import peers
from vern.scheduler.retention.router import router as retention_router
from vern.scheduler.runs.router import router as runs_router
from vern.scheduler.tasks.router import router as tasks_router


def create_app(
    settings: SchedulerSettings | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    settings = settings or SchedulerSettings()

    def shutdown(app: FastAPI) -> None:
        planner.stop(app)
        for client in app.state.runner.peers.values():
            client.close()

    app = create_service_app(
        name="scheduler",
        settings=settings,
        routers=[
            monitoring_router,
            jobs_router,
            plan_router,
            runs_router,
            tasks_router,
            retention_router,
        ],
        description="Vern's scheduler: retention sweeps, outside systems' retention tasks, "
        "deadline reminders and outbox redelivery, planned from the org profile, and their record.",
        verifier=verifier,
        on_startup=planner.start,
        on_shutdown=shutdown,
        metrics_collectors=[scheduler_collector],
    )
    app.state.jobs = plan(settings, app.state.profile)
    app.state.runner = JobRunner(
        engine=app.state.engine,
        settings=settings,
        profile=app.state.profile,
        jobs=app.state.jobs,
        peers=peers(settings),
    )
    app.state.scheduler = None
    app.state.leadership = None
    return app

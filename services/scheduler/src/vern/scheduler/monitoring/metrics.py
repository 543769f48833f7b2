"""Prometheus metrics, read from the scheduler's database at each scrape.

They come from the record of runs and tasks, not from counters in the process, so they survive
restarts and fail-overs, and every replica reports the same totals (aggregate with max(), not
sum(), across replicas). Labels are job ids, service names and rule ids: never personal data.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlmodel import Session

from vern.kit.clock import today_oslo
from vern.scheduler.jobs import planner
from vern.scheduler.leadership import Role
from vern.scheduler.runs import repository as run_repository
from vern.scheduler.tasks import repository as task_repository


class SchedulerCollector(Collector):
    def __init__(self, session: Session, is_active: bool) -> None:
        self.session = session
        self.is_active = is_active

    def collect(self) -> Iterator[Metric]:
        runs = CounterMetricFamily(
            "vern_scheduler_runs", "Job runs by job and status", labels=["job", "status"]
        )
        failures = CounterMetricFamily(
            "vern_scheduler_run_failures", "Job runs that failed", labels=["job"]
        )
        deleted = CounterMetricFamily(
            "vern_scheduler_rows_deleted",
            "Rows the retention sweeps deleted, by service and retention rule",
            labels=["service", "rule"],
        )
        last_success = GaugeMetricFamily(
            "vern_scheduler_last_success_timestamp_seconds",
            "When each job last finished successfully (Unix time)",
            labels=["job"],
        )
        overdue = GaugeMetricFamily(
            "vern_scheduler_overdue_tasks", "Open tasks past their due date"
        )
        active = GaugeMetricFamily(
            "vern_scheduler_active", "1 when this replica holds the lock and fires the jobs"
        )
        session = self.session
        for job, status, count in run_repository.runs_by_job_and_status(session=session):
            runs.add_metric([job, status], count)
            if status == "failed":
                failures.add_metric([job], count)
        for service, rule, count in run_repository.deleted_by_service_and_rule(session=session):
            deleted.add_metric([service, rule], count)
        for job, at in run_repository.last_success_by_job(session=session):
            last_success.add_metric([job], at.timestamp())
        overdue.add_metric([], task_repository.count_overdue(session=session, today=today_oslo()))
        active.add_metric([], 1.0 if self.is_active else 0.0)
        yield from (runs, failures, deleted, last_success, overdue, active)


def scheduler_collector(app: FastAPI, session: Session) -> Collector:
    """The scheduler's metrics for the kit's `GET /scheduler/metrics`, read in the scrape's session."""
    return SchedulerCollector(session, planner.role(app) is Role.active)

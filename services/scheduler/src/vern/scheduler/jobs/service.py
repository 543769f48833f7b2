"""The plan: when each job runs and when each outside system's task is handed out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from vern.kit.clock import OSLO, oslo_date
from vern.kit.orgprofile import Duration, OrgProfile
from vern.scheduler.jobs.definitions import JobDefinition
from vern.scheduler.jobs.schemas import PlannedJob, PlannedTask
from vern.scheduler.obligations import outside_system_tasks
from vern.scheduler.tasks import repository as task_repository
from vern.scheduler.tasks import service as task_service

MAX_LISTED_RUNS = 20


def planned_runs(
    jobs: Mapping[str, JobDefinition], *, start: datetime, until: datetime
) -> list[PlannedJob]:
    """Each job's run times from `start` to `until`, from its trigger, in Europe/Oslo."""
    planned = []
    for job in jobs.values():
        runs: list[datetime] = []
        previous, now = None, start.astimezone(OSLO)
        more = False
        while True:
            fire = job.trigger.get_next_fire_time(previous, now)
            if fire is None or fire > until:
                break
            if len(runs) == MAX_LISTED_RUNS:
                more = True
                break
            runs.append(fire.astimezone(OSLO))
            # A microsecond later as an instant: wall-clock arithmetic would drop the fold of
            # the second 02:00 of the autumn night, go back an hour and list it again.
            previous, now = (
                fire,
                (fire.astimezone(UTC) + timedelta(microseconds=1)).astimezone(OSLO),
            )
        planned.append(
            PlannedJob(
                job_id=job.id,
                description=job.description,
                schedule=job.schedule,
                service=job.service,
                runs=runs,
                more_runs=more,
            )
        )
    return planned


def planned_tasks(*, session: Session, profile: OrgProfile, start: datetime) -> list[PlannedTask]:
    """When each outside system's retention task is handed out next."""
    today = oslo_date(start)
    planned = []
    for rule_id, enforcer in outside_system_tasks(profile):
        last = task_repository.latest_outside_system_task(
            session=session, rule=rule_id, outside_system=enforcer.outside_system
        )
        next_date = task_service.next_hand_out_date(
            last_period_start=last.period_start_date if last is not None else None,
            every=enforcer.every,
            today=today,
        )
        planned.append(
            PlannedTask(
                rule=rule_id,
                outside_system=enforcer.outside_system,
                owner_role=enforcer.owner_role.value,
                every=_every(enforcer.every),
                next_hand_out_date=max(next_date, today),
            )
        )
    return planned


def _every(period: Duration) -> str:
    parts = [
        f"{n} {name if n != 1 else name[:-1]}"
        for name in ("years", "months", "days")
        if (n := getattr(period, name))
    ]
    return "every " + " ".join(parts)

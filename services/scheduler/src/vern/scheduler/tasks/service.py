"""The rules for tasks: when an outside system's retention task is handed out and when it is due,
reminders that follow dsar's deadlines, and closing a task."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlmodel import Session

from vern.kit.auth import Principal
from vern.kit.clock import OSLO, oslo_date
from vern.kit.contract import Deadline
from vern.kit.errors import Conflict, Forbidden
from vern.kit.orgprofile import Duration, OrgProfile, OutsideSystemTask, add_calendar_period
from vern.scheduler.obligations import outside_system_tasks
from vern.scheduler.tasks import repository as task_repository
from vern.scheduler.tasks.models import Task, TaskKind, TaskStatus
from vern.scheduler.tasks.schemas import TaskRead

_UNITS_NB = (("years", "år", "år"), ("months", "måned", "måneder"), ("days", "dag", "dager"))


def period_nb(period: Duration | str) -> str:
    """A retention period in words: "3 måneder", "1 år og 6 måneder"."""
    if period == "immediately":
        return "slettes straks"
    if not isinstance(period, Duration):
        return "oppbevares til formålet er oppfylt"
    parts = [
        f"{n} {one if n == 1 else many}"
        for name, one, many in _UNITS_NB
        if (n := getattr(period, name))
    ]
    return "oppbevares i " + " og ".join(parts)


def next_hand_out_date(*, last_period_start: date | None, every: Duration, today: date) -> date:
    """A task is handed out at once the first time, then one period after the last one."""
    if last_period_start is None:
        return today
    return add_calendar_period(last_period_start, every)


def hand_out_outside_system_tasks(
    *, session: Session, profile: OrgProfile, now: datetime, due_days: int
) -> dict[str, int]:
    """Hands out each outside system's retention task whose period has come round.

    The period starts on the day the task is handed out; the task is due `due_days` later, or
    when the next one is handed out if that comes sooner. A run missed for days hands out one
    task, not one per missed period.
    """
    today, created = oslo_date(now), 0
    for rule_id, enforcer in outside_system_tasks(profile):
        last = task_repository.latest_outside_system_task(
            session=session, rule=rule_id, outside_system=enforcer.outside_system
        )
        last_start = last.period_start_date if last is not None else None
        due_on = next_hand_out_date(last_period_start=last_start, every=enforcer.every, today=today)
        if due_on > today:
            continue
        task_repository.add(
            session=session,
            task=_outside_system_task(profile, rule_id, enforcer, now, due_days),
        )
        created += 1
    return {"created": created}


def _outside_system_task(
    profile: OrgProfile, rule_id: str, enforcer: OutsideSystemTask, now: datetime, due_days: int
) -> Task:
    today = oslo_date(now)
    rule = profile.retention_rules[rule_id]
    system = profile.outside_systems.get(enforcer.outside_system)
    system_name = system.name if system is not None else enforcer.outside_system
    due = min(today + timedelta(days=due_days), add_calendar_period(today, enforcer.every))
    return Task(
        key=f"{rule_id}:{enforcer.outside_system}:{today.isoformat()}",
        kind=TaskKind.outside_system_retention,
        title_nb=f"Slettesjekk i {system_name}: {rule.what_nb} ({period_nb(rule.period)})",
        rule=rule_id,
        outside_system=enforcer.outside_system,
        owner_role=enforcer.owner_role.value,
        period_start_date=today,
        due_date=due,
        created_at=now,
        status=TaskStatus.open,
    )


_DEADLINE_TITLES_NB = {
    "request_answer": "Svar på henvendelse {ref} innen fristen",
    "request_extension_notice": "Gi beskjed om forlenget frist for henvendelse {ref}",
    "breach_authority": "Meld avvik {ref} til Datatilsynet innen {at}",
    "breach_subjects": "Varsle de berørte om avvik {ref} innen {at}",
}


def sync_deadline_tasks(
    *, session: Session, deadlines: Iterable[Deadline], now: datetime, reminder_days: int
) -> dict[str, int]:
    """One open reminder task per deadline dsar reports: a request's from `reminder_days` before
    its due date, a breach's at once. A reminder whose deadline dsar no longer reports (answered,
    notified) is closed by "dsar"; a moved due date (an extension) moves the task's."""
    today, created, seen = oslo_date(now), 0, set()
    for deadline in deadlines:
        key = f"{deadline.kind}:{deadline.ref}"
        seen.add(key)
        due_date = oslo_date(deadline.due_at)
        existing = task_repository.get_by_key(session=session, key=key)
        if existing is not None:
            if existing.due_at != deadline.due_at:
                existing.due_at, existing.due_date = deadline.due_at, due_date
                existing.title_nb = _deadline_title(deadline)
                session.add(existing)
            continue
        is_breach = deadline.kind.startswith("breach")
        if not is_breach and (due_date - today).days > reminder_days:
            continue
        task_repository.add(
            session=session,
            task=Task(
                key=key,
                kind=TaskKind.breach_deadline if is_breach else TaskKind.request_deadline,
                title_nb=_deadline_title(deadline),
                ref=deadline.ref,
                owner_role=deadline.owner_role,
                due_date=due_date,
                due_at=deadline.due_at,
                created_at=now,
                status=TaskStatus.open,
            ),
        )
        created += 1
    closed = 0
    for task in task_repository.open_deadline_tasks(session=session):
        if task.key not in seen:
            task.status, task.closed_at, task.closed_by = TaskStatus.done, now, "dsar"
            session.add(task)
            closed += 1
    session.flush()
    return {"created": created, "closed": closed}


def _deadline_title(deadline: Deadline) -> str:
    at = deadline.due_at.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")
    return _DEADLINE_TITLES_NB[deadline.kind].format(ref=deadline.ref, at=at)


def list_tasks(
    *,
    session: Session,
    status: TaskStatus | None,
    kind: TaskKind | None,
    limit: int,
    offset: int,
) -> Sequence[Task]:
    """Tasks, soonest due first."""
    return task_repository.list_tasks(
        session=session, status=status, kind=kind, limit=limit, offset=offset
    )


def get(*, session: Session, task_id: uuid.UUID) -> Task | None:
    """The task with this id, if any."""
    return task_repository.get(session=session, task_id=task_id)


def mark_done(*, session: Session, task: Task, principal: Principal, now: datetime) -> Task:
    """Closes a task: its owner role or the manager may; who and when are kept."""
    if not principal.has_role(task.owner_role, "manager"):
        raise Forbidden("this task belongs to another role")
    if task.status is TaskStatus.done:
        raise Conflict("the task is already done")
    task.status, task.closed_at, task.closed_by = TaskStatus.done, now, principal.subject
    session.add(task)
    session.flush()
    return task


def count_overdue(*, session: Session, today: date) -> int:
    """Open tasks whose due date has passed."""
    return task_repository.count_overdue(session=session, today=today)


def to_read(task: Task, *, today: date) -> TaskRead:
    return TaskRead(
        id=task.id,
        kind=task.kind,
        title_nb=task.title_nb,
        rule=task.rule,
        outside_system=task.outside_system,
        ref=task.ref,
        owner_role=task.owner_role,
        period_start_date=task.period_start_date,
        due_date=task.due_date,
        due_at=task.due_at,
        created_at=task.created_at,
        status=task.status,
        overdue=task.status is TaskStatus.open and task.due_date < today,
        closed_at=task.closed_at,
        closed_by=task.closed_by,
    )

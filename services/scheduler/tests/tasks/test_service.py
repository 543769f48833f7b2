"""When tasks are handed out and when they are due: outside systems' retention every period,
deadline reminders that follow dsar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlmodel import Session, select

from vern.kit.clock import OSLO
from vern.kit.contract import Deadline
from vern.kit.orgprofile import Duration
from vern.scheduler.tasks import service as task_service
from vern.scheduler.tasks.models import Task, TaskKind, TaskStatus

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=OSLO)


def _hand_out(session: Session, app: FastAPI, now: datetime) -> int:
    counts = task_service.hand_out_outside_system_tasks(
        session=session, profile=app.state.profile, now=now, due_days=14
    )
    return counts["created"]


def _tasks(session: Session, rule: str, system: str) -> list[Task]:
    query = select(Task).where(Task.rule == rule, Task.outside_system == system)
    return sorted(session.exec(query).all(), key=lambda t: t.created_at)


def test_an_outside_system_task_is_handed_out_at_once_then_once_per_period(
    db_session: Session, vern_app: FastAPI
) -> None:
    # Nok. Bergen: SMS messages, every month, owned by the manager.
    assert _hand_out(db_session, vern_app, NOON) > 0
    assert _hand_out(db_session, vern_app, NOON + timedelta(days=1)) == 0
    sms = _tasks(db_session, "sms_messages", "sms")
    assert len(sms) == 1
    assert (sms[0].owner_role, sms[0].status, sms[0].period_start_date) == (
        "manager",
        TaskStatus.open,
        date(2026, 11, 22),
    )
    assert "Meldinger til SMS-tjenesten" in sms[0].title_nb
    _hand_out(db_session, vern_app, datetime(2026, 12, 21, 23, 0, tzinfo=OSLO))
    assert len(_tasks(db_session, "sms_messages", "sms")) == 1
    _hand_out(db_session, vern_app, datetime(2026, 12, 22, 0, 30, tzinfo=OSLO))
    assert len(_tasks(db_session, "sms_messages", "sms")) == 2


def test_a_task_missed_for_several_periods_is_handed_out_once(
    db_session: Session, vern_app: FastAPI
) -> None:
    _hand_out(db_session, vern_app, NOON)
    _hand_out(db_session, vern_app, NOON + timedelta(days=100))
    assert len(_tasks(db_session, "sms_messages", "sms")) == 2


def test_a_task_is_due_in_14_days_or_by_the_next_one_if_sooner(
    db_session: Session, vern_app: FastAPI
) -> None:
    _hand_out(db_session, vern_app, NOON)
    monthly = _tasks(db_session, "sms_messages", "sms")[0]
    assert monthly.due_date == date(2026, 12, 6)


def test_the_due_date_clamps_to_the_next_period_when_it_is_shorter() -> None:
    assert task_service.next_hand_out_date(
        last_period_start=date(2024, 1, 31), every=Duration(months=1), today=date(2024, 2, 1)
    ) == date(2024, 2, 29)


def test_retention_periods_read_in_norwegian() -> None:
    assert task_service.period_nb(Duration(months=3)) == "oppbevares i 3 måneder"
    assert task_service.period_nb(Duration(years=1, months=6)) == "oppbevares i 1 år og 6 måneder"
    assert task_service.period_nb("immediately") == "slettes straks"


def _deadline(kind: str, ref: str, due: datetime) -> Deadline:
    return Deadline.model_validate({"kind": kind, "ref": ref, "due_at": due})


def _sync(session: Session, deadlines: list[Deadline], now: datetime) -> dict[str, int]:
    return task_service.sync_deadline_tasks(
        session=session, deadlines=deadlines, now=now, reminder_days=7
    )


def test_a_request_is_reminded_seven_days_before_its_due_date(db_session: Session) -> None:
    due = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    request = _deadline("request_answer", "req-1", due)
    assert _sync(db_session, [request], datetime(2026, 12, 2, 12, 0, tzinfo=UTC))["created"] == 0
    assert _sync(db_session, [request], datetime(2026, 12, 3, 12, 0, tzinfo=UTC))["created"] == 1
    assert _sync(db_session, [request], datetime(2026, 12, 3, 13, 0, tzinfo=UTC))["created"] == 0
    task = db_session.exec(select(Task).where(Task.key == "request_answer:req-1")).one()
    assert (task.kind, task.due_date, task.ref) == (
        TaskKind.request_deadline,
        date(2026, 12, 10),
        "req-1",
    )


def test_a_breach_is_reminded_at_once_with_its_72_hour_deadline(db_session: Session) -> None:
    detected = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    breach = _deadline("breach_authority", "breach-9", detected + timedelta(hours=72))
    assert _sync(db_session, [breach], detected)["created"] == 1
    task = db_session.exec(select(Task).where(Task.ref == "breach-9")).one()
    assert task.kind is TaskKind.breach_deadline
    assert task.due_date == date(2026, 11, 26)  # 23:30 UTC on the 25th is the 26th in Oslo
    assert "Datatilsynet" in task.title_nb
    assert "26.11.2026 kl. 00:30" in task.title_nb


def test_a_reminder_closes_when_dsar_no_longer_reports_its_deadline(db_session: Session) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    breach = _deadline("breach_authority", "breach-1", now + timedelta(hours=10))
    _sync(db_session, [breach], now)
    assert _sync(db_session, [], now + timedelta(hours=1)) == {"created": 0, "closed": 1}
    task = db_session.exec(select(Task).where(Task.ref == "breach-1")).one()
    assert (task.status, task.closed_by) == (TaskStatus.done, "dsar")


def test_an_extended_request_moves_its_reminder(db_session: Session) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    _sync(db_session, [_deadline("request_answer", "req-2", now + timedelta(days=3))], now)
    later = now + timedelta(days=60)
    _sync(db_session, [_deadline("request_answer", "req-2", later)], now)
    task = db_session.exec(select(Task).where(Task.ref == "req-2")).one()
    assert task.due_date == later.astimezone(OSLO).date()
    assert task.status is TaskStatus.open

"""One active replica: the PostgreSQL advisory lock on a dedicated connection decides which
scheduler fires jobs; a standby takes over when the holder stops or loses its connection."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from vern.kit.db import make_engine
from vern.kit.settings import ServiceSettings
from vern.scheduler.leadership import LeaderLock, Leadership, Role

from .conftest import postgres_only


@pytest.fixture
def key() -> int:
    return random.randint(1, 2**62)  # not the app's lock, which other tests take


@pytest.fixture
def replicas(vern_settings: ServiceSettings, key: int) -> Iterator[tuple[LeaderLock, LeaderLock]]:
    first = LeaderLock(vern_settings.database_url, key)
    second = LeaderLock(vern_settings.database_url, key)
    yield first, second
    first.release()
    second.release()


@postgres_only
def test_only_one_of_two_replicas_holds_the_lock(replicas: tuple[LeaderLock, LeaderLock]) -> None:
    first, second = replicas
    assert first.step() is True
    assert second.step() is False
    assert first.step() is True  # the holder keeps it
    assert second.step() is False


@postgres_only
def test_the_standby_takes_over_when_the_holder_stops(
    replicas: tuple[LeaderLock, LeaderLock],
) -> None:
    first, second = replicas
    first.step()
    first.release()
    assert second.step() is True
    assert first.step() is False


@postgres_only
def test_a_holder_whose_lock_connection_dies_stops_scheduling_and_the_standby_takes_over(
    replicas: tuple[LeaderLock, LeaderLock], vern_settings: ServiceSettings
) -> None:
    first, second = replicas
    events: list[str] = []
    leadership = Leadership(
        first,
        retry_seconds=1,
        on_active=lambda: events.append("start jobs"),
        on_standby=lambda: events.append("stop jobs"),
    )
    leadership.apply(first.step())
    assert leadership.role is Role.active
    pid = first.backend_pid()
    engine = make_engine(vern_settings.database_url)
    with engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()
    engine.dispose()
    leadership.apply(first.step())
    assert leadership.role is Role.standby
    assert events == ["start jobs", "stop jobs"]
    assert second.step() is True


def test_on_sqlite_the_scheduler_runs_as_the_single_instance(tmp_path: object, key: int) -> None:
    lock = LeaderLock(f"sqlite:///{tmp_path}/scheduler.db", key)
    assert lock.single_instance
    assert lock.step() is True
    lock.release()


def test_the_hooks_fire_once_per_change_of_role(key: int) -> None:
    events: list[str] = []
    leadership = Leadership(
        LeaderLock("sqlite://", key),
        retry_seconds=1,
        on_active=lambda: events.append("active"),
        on_standby=lambda: events.append("standby"),
    )
    for held in (False, True, True, False, False, True):
        leadership.apply(held)
    assert events == ["active", "standby", "active"]


@postgres_only
def test_a_replica_that_cannot_start_its_jobs_lets_the_lock_go(
    replicas: tuple[LeaderLock, LeaderLock],
) -> None:
    first, second = replicas

    def broken() -> None:
        raise RuntimeError("job store unreachable")

    leadership = Leadership(first, retry_seconds=1, on_active=broken, on_standby=lambda: None)
    leadership.apply(first.step())
    assert leadership.role is Role.standby
    assert second.step() is True

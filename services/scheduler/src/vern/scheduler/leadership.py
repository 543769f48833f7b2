"""Which replica fires the jobs: the one holding a PostgreSQL advisory lock.

The lock is taken with `pg_try_advisory_lock` on a connection of its own, held for as long as the
process runs: PostgreSQL releases it when that session ends, however the process stops (a crash,
SIGKILL, a lost network). A standby tries again every `lock_retry_seconds` and takes over. The
holder checks its connection just as often; if the connection is gone, so is the lock (another
replica may hold it already), and it stops scheduling at once. TCP keepalives bound how long a
silently dead connection goes unnoticed.

On SQLite (the embedded default) there is no lock: the scheduler runs as a single instance, and
starting a second process against the same file is not supported.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from enum import StrEnum

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from vern.kit.logging import get_logger

log = get_logger(__name__)

# Seconds: connect timeout, and keepalive idle + interval x count before a dead peer is noticed.
_CONNECT_ARGS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
}


class Role(StrEnum):
    active = "active"  # holds the lock and fires the jobs
    standby = "standby"  # waits for the lock
    off = "off"  # this process fires no jobs (start_jobs is off)


class LeaderLock:
    """The advisory lock on its dedicated connection; `step()` checks or tries for it once."""

    def __init__(self, database_url: str, key: int) -> None:
        url = make_url(database_url)
        self.single_instance = url.get_backend_name() != "postgresql"
        self.key = key
        self._engine: Engine | None = None
        if not self.single_instance:
            url = url.set(drivername="postgresql+psycopg")
            self._engine = create_engine(url, poolclass=NullPool, connect_args=_CONNECT_ARGS)
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self.single_instance or self._connection is not None

    def step(self) -> bool:
        """Checks the held lock's connection, or tries to take the lock; says if it is held."""
        if self.single_instance:
            return True
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except Exception as exc:  # the session, and with it the lock, is gone
                log.warning("scheduler lost its lock connection", error=type(exc).__name__)
                self._discard()
                return False
        return self._try_take()

    def _try_take(self) -> bool:
        assert self._engine is not None
        try:
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except Exception as exc:
            log.warning("scheduler cannot reach its database", error=type(exc).__name__)
            return False
        try:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar()
        except Exception as exc:
            log.warning("scheduler could not ask for its lock", error=type(exc).__name__)
            connection.close()
            return False
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def backend_pid(self) -> int | None:
        """The PostgreSQL session that holds the lock (for operators and tests)."""
        if self._connection is None:
            return None
        pid = self._connection.execute(text("SELECT pg_backend_pid()")).scalar()
        return int(pid) if pid is not None else None

    def give_up(self) -> None:
        """Lets the lock go but keeps trying for it (closing the session releases it)."""
        self._discard()

    def release(self) -> None:
        """Gives the lock up for good (closing the session releases it)."""
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        self._discard()
        if self._engine is not None:
            self._engine.dispose()

    def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.invalidate()
                connection.close()


class Leadership:
    """Keeps this replica's role in step with the lock, starting and stopping the jobs with it."""

    def __init__(
        self,
        lock: LeaderLock,
        *,
        retry_seconds: float,
        on_active: Callable[[], None],
        on_standby: Callable[[], None],
    ) -> None:
        self.lock = lock
        self.retry_seconds = retry_seconds
        self.role = Role.standby
        self._on_active, self._on_standby = on_active, on_standby
        self._task: asyncio.Task[None] | None = None

    def apply(self, held: bool) -> None:
        """Moves to the role the lock gives, calling the matching hook on a change."""
        if held and self.role is not Role.active:
            try:
                self._on_active()
            except Exception as exc:
                # Holding the lock without firing jobs would keep a healthy standby idle: give
                # the lock up and try again on the next round.
                log.error("scheduler could not start its jobs", error=type(exc).__name__)
                self.lock.give_up()
                return
            self.role = Role.active
            log.info("scheduler is active: it holds the lock and fires jobs")
        elif not held and self.role is Role.active:
            self.role = Role.standby
            log.warning("scheduler is standing by: it no longer holds the lock")
            self._on_standby()

    def start(self) -> None:
        """Tries for the lock now, then keeps checking in the background (on the running loop)."""
        self.apply(self.lock.step())
        if not self.lock.single_instance:
            self._task = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.retry_seconds)
            try:
                self.apply(await asyncio.to_thread(self.lock.step))
            except Exception as exc:  # the watch must outlive any one round
                log.error("scheduler lock round failed", error=type(exc).__name__)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self.role is Role.active:
            self.role = Role.standby
            self._on_standby()
        self.lock.release()

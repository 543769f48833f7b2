"""The scheduler, or the registry, killed (SIGKILL, by pid) in the middle of the registry's
retention sweep and started again: the sweep is finished, nothing is deleted twice or early, the
audit chain verifies, and a killed run does not stay "running".

Real processes on one PostgreSQL server: the dev IdP (the scheduler's client-credentials token),
the registry, and the scheduler, started three times. The first scheduler only leaves its plan in
the job store; the sweep it would have run at 02:00 is then marked missed, as when no scheduler
ran that night. The second finds the missed sweep and runs it at once; it is killed once the
registry has committed a few batches and the run is on record as running. The third marks that
run interrupted and runs the sweep again, which goes on from where the registry had got to.

The registry's sweep runs to its end in the registry even when its caller is gone, so two sweeps
may overlap there: that is exactly the case in which nothing may be deleted twice.

When the registry is killed instead, the batch it was in is rolled back with its connection and
the keys of committed batches may still exist; the scheduler keeps retrying the call (transport
errors are retried, with the same Idempotency-Key), and the registry, once back, shreds the queued
keys first and goes on with the unfinished sweep.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from vern.kit.audit import AuditEvent
from vern.kit.clock import OSLO, now_utc, today_oslo
from vern.kit.crypto import shred_journal, subject_key
from vern.kit.devtoken import fetch_persona_token
from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.testing.pgserver import PostgresServer
from vern.registry.config import RegistrySettings
from vern.registry.main import create_app as create_registry
from vern.registry.persons.models import Person
from vern.scheduler.jobs.definitions import sweep_job_id

from .processes import ROOT, Process, dev_idp, free_port, run_cli, serve, service_env, wait_for

pytestmark = pytest.mark.integration

SWEEP = sweep_job_id("registry")
DUE = 400  # clients past their retention date
NOT_DUE = 40  # clients due tomorrow or later: they must stay
BATCH = 2  # rows per batch: the sweep commits 200 batches, so it is well under way when killed
KILL_AFTER_BATCHES = 3
MAIN_DONE = 90.0  # seconds: the bound on each wait (start-up, sweep, restart) on a busy machine


def _url(engine_url: str) -> str:
    return engine_url.replace("postgresql://", "postgresql+psycopg://", 1)


def seed_clients(settings: RegistrySettings) -> tuple[list[str], list[str]]:
    """Clients straight into the register, each with its own data key: `DUE` of them past their
    retention date (some long ago, some today), `NOT_DUE` of them due from tomorrow on."""
    app = create_registry(settings)
    vault, today = app.state.vault, today_oslo()
    due_dates = [today - timedelta(days=i % 30) for i in range(DUE)]
    later_dates = [today + timedelta(days=1 + i % 10) for i in range(NOT_DUE)]
    ids: list[str] = []
    with Session(app.state.engine) as session:
        for due in due_dates + later_dates:
            person_id = uuid.uuid4()
            vault.create_subject_key(str(person_id))
            session.add(
                Person(
                    id=person_id,
                    created_at=now_utc(),
                    intake_date=date(2020, 1, 1),
                    full_name_ct=vault.encrypt(
                        str(person_id), "Ragnhild Sweepesen", context="person.full_name"
                    ),
                    retention_due_date=due,
                )
            )
            ids.append(str(person_id))
        session.commit()
    app.state.engine.dispose()
    app.state.keystore.dispose()
    return ids[:DUE], ids[DUE:]


def miss_last_nights_sweep(scheduler_db: str) -> None:
    """Moves the stored sweep's next run into the past, as if no scheduler ran at 02:00."""
    store = SQLAlchemyJobStore(url=_url(scheduler_db))
    idle = BackgroundScheduler(timezone=OSLO)  # never started: the store only needs a reference
    store.start(idle, "default")
    job = store.lookup_job(SWEEP)
    assert job is not None, "the first scheduler left no sweep in the job store"
    job._modify(next_run_time=datetime.now(OSLO) - timedelta(hours=3))
    store.update_job(job)
    store.shutdown()


def sweep_in_progress(registry: Engine) -> int:
    """How many batches the registry's unfinished sweep has committed (0: none under way)."""
    with registry.connect() as conn:
        batches = conn.execute(
            text("SELECT max(batches) FROM retention_sweep WHERE finished_at IS NULL")
        ).scalar()
    return int(batches or 0)


def runs(scheduler: Engine) -> list[tuple[str, str, bool]]:
    """The sweep's runs in order: (trigger, status, has an end)."""
    with scheduler.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT trigger, status, finished_at IS NOT NULL FROM job_run "
                "WHERE job_id = :job ORDER BY started_at"
            ),
            {"job": SWEEP},
        )
        return [(str(t), str(s), bool(f)) for t, s, f in rows]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@dataclass
class Centre:
    """Nok. Bergen's registry and scheduler, on their own databases, ready to be started."""

    urls: dict[str, str]
    logs: Path
    due: list[str]
    not_due: list[str]
    registry_port: int = field(default_factory=free_port)
    scheduler_port: int = field(default_factory=free_port)
    processes: list[Process] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.registry_db = create_engine(_url(self.urls["registry"]))
        self.keystore = create_engine(_url(self.urls["registry_keys"]))
        self.scheduler_db = create_engine(_url(self.urls["scheduler"]))

    @property
    def registry_env(self) -> dict[str, str]:
        return service_env(
            "REGISTRY", database_url=self.urls["registry"], keystore_url=self.urls["registry_keys"]
        )

    def scheduler_env(self, **extra: object) -> dict[str, str]:
        return service_env(
            "SCHEDULER",
            database_url=self.urls["scheduler"],
            keystore_url=self.urls["scheduler_keys"],
            registry_url=f"http://127.0.0.1:{self.registry_port}",
            # Consent and dsar are not part of this test; their jobs do not fire in it.
            consent_url=f"http://127.0.0.1:{free_port()}",
            dsar_url=f"http://127.0.0.1:{free_port()}",
            sweep_batch_size=BATCH,
            lock_retry_seconds=0.5,
            outbox_interval_seconds=3600,
            **extra,
        )

    def registry(self) -> Process:
        process = serve("registry", self.registry_port, self.registry_env, self.logs)
        self.processes.append(process)
        return process

    def scheduler(self, port: int | None = None, **extra: Any) -> Process:
        env = self.scheduler_env(**extra)
        process = serve("scheduler", port or self.scheduler_port, env, self.logs)
        self.processes.append(process)
        return process

    def plan_with_last_nights_sweep_missed(self, **extra: Any) -> None:
        """A scheduler leaves its plan in the job store and stops; the sweep of 02:00 is missed."""
        self.scheduler(**extra).stop()
        miss_last_nights_sweep(self.urls["scheduler"])

    def sweep_under_way(self) -> int:
        """Waits for the progress signal: batches committed in the registry; returns how many."""
        return wait_for(
            lambda: (
                sweep_in_progress(self.registry_db) >= KILL_AFTER_BATCHES
                and sweep_in_progress(self.registry_db)
            ),
            timeout=MAIN_DONE,
            what="the missed sweep under way in the registry",
        )

    def check_swept_once_and_on_time(self) -> str:
        """Every due client went with its key, once; the others stay; the audit chain verifies.
        Returns the figures: deleted, left behind (lost), deleted twice, deleted early."""
        wait_for(
            lambda: sweep_in_progress(self.registry_db) == 0,
            timeout=MAIN_DONE,
            what="every sweep in the registry finished",
        )
        with self.registry_db.connect() as conn:
            left = {str(i) for i in conn.execute(select(Person.id)).scalars()}  # type: ignore[call-overload]
            deletions = conn.execute(
                select(AuditEvent.subject_id, func.count())  # type: ignore[call-overload]
                .where(AuditEvent.action == "retention.delete")
                .group_by(AuditEvent.subject_id)
            ).all()
            pending = conn.execute(text("SELECT count(*) FROM pending_shred")).scalar()
        with self.keystore.connect() as conn:
            keys = {str(s) for s in conn.execute(select(subject_key.c.subject_id)).scalars()}
            shredded = [str(s) for s in conn.execute(select(shred_journal.c.subject_id)).scalars()]
        deleted = dict(deletions)
        figures = (
            f"{sum(1 for i in self.due if i not in left)} of {len(self.due)} due deleted, "
            f"{sum(1 for i in self.due if i in left)} left behind, "
            f"{sum(n - 1 for n in deleted.values() if n > 1)} twice, "
            f"{sum(1 for i in self.not_due if i not in left)} of {len(self.not_due)} early"
        )
        # Finished: every due client went, with its key. Not early: the others stay, keys and all.
        assert left == set(self.not_due)
        assert set(self.due).isdisjoint(keys)
        assert set(self.not_due) <= keys
        assert pending == 0
        # Not twice: each due client was deleted once, by one audit event; none other was.
        assert dict(deletions) == dict.fromkeys(self.due, 1)
        assert sorted(shredded) == sorted(self.due)
        verified = run_cli("registry", "verify-audit", self.registry_env)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        return figures

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        for engine in (self.registry_db, self.keystore, self.scheduler_db):
            engine.dispose()


@pytest.fixture
def centre(postgres: PostgresServer, tmp_path: Path) -> Iterator[Centre]:
    tag = uuid.uuid4().hex[:8]
    urls = {
        name: postgres.create_database(f"{name}_{tag}")
        for name in ("registry", "registry_keys", "scheduler", "scheduler_keys")
    }
    for service in ("registry", "scheduler"):
        main = ROOT / "services" / service / "src" / "vern" / service / "main.py"
        upgrade_service(migrations_dir(str(main)), urls[service], urls[f"{service}_keys"])
    due, not_due = seed_clients(
        RegistrySettings(
            environment="test",
            database_url=urls["registry"],
            keystore_url=urls["registry_keys"],
            org_profile=str(ROOT / "deploy" / "orgs" / "nokbergen.yaml"),
        )
    )
    centre = Centre(urls=urls, logs=tmp_path, due=due, not_due=not_due)
    try:
        with dev_idp(tmp_path):
            yield centre
    finally:
        centre.stop()


def test_a_scheduler_killed_during_a_sweep_and_restarted_finishes_it_deleting_nothing_twice_or_early(
    centre: Centre,
) -> None:
    started = time.monotonic()
    centre.registry()
    centre.plan_with_last_nights_sweep_missed()
    second = centre.scheduler()  # finds the missed sweep and runs it at once
    centre.sweep_under_way()
    wait_for(
        lambda: runs(centre.scheduler_db) == [("schedule", "running", False)],
        timeout=MAIN_DONE,
        what="the sweep's run on record as running",
    )
    second.kill()
    batches_at_kill = sweep_in_progress(centre.registry_db)
    assert batches_at_kill >= KILL_AFTER_BATCHES, "the sweep ended before the kill"
    assert runs(centre.scheduler_db) == [("schedule", "running", False)]

    centre.scheduler()
    wait_for(
        lambda: (
            runs(centre.scheduler_db)
            == [("schedule", "interrupted", True), ("schedule", "ok", True)]
        ),
        timeout=MAIN_DONE,
        what="the killed run interrupted and the sweep run again",
    )
    figures = centre.check_swept_once_and_on_time()
    print(
        f"\nscheduler killed during a sweep after {batches_at_kill} batches: {figures}; "
        f"test {time.monotonic() - started:.1f} s"
    )


def test_a_registry_killed_during_a_sweep_and_restarted_finishes_it_deleting_nothing_twice_or_early(
    centre: Centre,
) -> None:
    started = time.monotonic()
    registry = centre.registry()
    # Retried for long enough to outlast the registry's restart on a busy machine.
    patient = {"http_retries": 60}
    centre.plan_with_last_nights_sweep_missed(**patient)
    centre.scheduler(**patient)
    centre.sweep_under_way()
    registry.kill()
    batches_at_kill = sweep_in_progress(centre.registry_db)
    assert batches_at_kill >= KILL_AFTER_BATCHES
    with centre.registry_db.connect() as conn:
        gone_at_kill = (
            DUE - conn.execute(text("SELECT count(*) FROM person")).scalar_one() + NOT_DUE
        )
    assert 0 < gone_at_kill < DUE, "the sweep was not half-way when the registry was killed"

    centre.registry()
    wait_for(
        lambda: runs(centre.scheduler_db) == [("schedule", "ok", True)],
        timeout=MAIN_DONE,
        what="the scheduler's retried call answered once the registry was back",
    )
    figures = centre.check_swept_once_and_on_time()
    with centre.scheduler_db.connect() as conn:
        counts = conn.execute(text("SELECT counts_json FROM job_run")).scalar_one()
    # The answer counts the whole sweep, the batches before the kill as well as after.
    assert json.loads(counts)["contact_register"] == DUE
    print(
        f"\nregistry killed during a sweep after {batches_at_kill} batches ({gone_at_kill} "
        f"deleted): {figures}; test {time.monotonic() - started:.1f} s"
    )


def test_postgresql_stopped_during_a_sweep_and_started_again_the_sweep_is_finished_deleting_nothing_twice_or_early(
    centre: Centre, postgres: PostgresServer
) -> None:
    """The server of both the registry's and the scheduler's databases stops (immediate, as a
    crash) mid-sweep and starts again: the registry's open batch is rolled back, the scheduler
    loses its lock with its connection, takes it again, finds its run unfinished and runs the
    sweep again, which finishes it."""
    started = time.monotonic()
    centre.registry()
    patient = {"http_retries": 60}
    centre.plan_with_last_nights_sweep_missed(**patient)
    centre.scheduler(**patient)
    centre.sweep_under_way()
    batches_at_stop = sweep_in_progress(centre.registry_db)
    postgres.pause()
    time.sleep(2)
    postgres.resume()
    for engine in (centre.registry_db, centre.keystore, centre.scheduler_db):
        engine.dispose()  # their connections went with the server

    def finished() -> list[tuple[str, str, bool]] | None:
        found = runs(centre.scheduler_db)
        return found if found and found[-1][1:] == ("ok", True) else None

    after_fault = wait_for(finished, timeout=MAIN_DONE, what="the sweep run to its end after all")
    assert all(status == "interrupted" for _t, status, _e in after_fault[:-1]), after_fault
    figures = centre.check_swept_once_and_on_time()
    print(
        f"\npostgresql stopped during a sweep after {batches_at_stop} batches (runs "
        f"{[status for _t, status, _e in after_fault]}): {figures}; "
        f"test {time.monotonic() - started:.1f} s"
    )


def test_two_schedulers_on_postgresql_never_run_the_same_sweep_at_once(centre: Centre) -> None:
    """While one replica runs the sweep (by hand, so that it starts when the test says), neither
    it nor the other replica starts it again: both answer 409."""
    started = time.monotonic()
    centre.registry()
    ports = [centre.scheduler_port, free_port()]
    for port in ports:
        centre.scheduler(port)
    manager = {
        "Authorization": f"Bearer {fetch_persona_token('manager', resource='urn:vern:scheduler')}"
    }
    roles = {
        port: httpx.get(f"http://127.0.0.1:{port}/scheduler/status").json()["role"]
        for port in ports
    }
    assert sorted(roles.values()) == ["active", "standby"]

    def run_on(port: int) -> httpx.Response:
        url = f"http://127.0.0.1:{port}/scheduler/jobs/{SWEEP}/run"
        return httpx.post(url, headers=manager, timeout=MAIN_DONE)

    first: list[httpx.Response] = []
    runner = threading.Thread(target=lambda: first.append(run_on(ports[0])))
    runner.start()
    centre.sweep_under_way()
    again = {port: run_on(port).status_code for port in ports}
    still_sweeping = sweep_in_progress(centre.registry_db)
    runner.join(timeout=MAIN_DONE)
    assert still_sweeping, "the sweep ended before both replicas were asked again"
    assert again == {ports[0]: 409, ports[1]: 409}
    assert first[0].status_code == 200, first[0].text
    assert first[0].json()["counts"]["contact_register"] == DUE
    figures = centre.check_swept_once_and_on_time()
    with centre.registry_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM retention_sweep")).scalar() == 1
    assert runs(centre.scheduler_db) == [("manual", "ok", True)]
    print(
        f"\ntwo schedulers, one sweep at a time: {figures}; test {time.monotonic() - started:.1f} s"
    )

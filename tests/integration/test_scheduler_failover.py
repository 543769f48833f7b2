"""One active scheduler across replicas: two real `python -m vern.scheduler serve` processes on
one PostgreSQL database; exactly one holds the advisory lock and fires jobs, and when it is
killed the standby takes over within a bounded wait."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.testing.pgserver import PostgresServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TAKEOVER_WAIT = 30.0  # seconds: lock retry (0.5 s) plus start-up, with room for a busy machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def role(port: int) -> str | None:
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/scheduler/status", timeout=2)
    except httpx.TransportError:
        return None
    return str(response.json()["role"]) if response.status_code == 200 else None


@pytest.fixture(scope="module")
def database() -> Iterator[dict[str, str]]:
    with PostgresServer() as server:
        urls = {
            "SCHEDULER_DATABASE_URL": server.create_database("scheduler_failover"),
            "SCHEDULER_KEYSTORE_URL": server.create_database("scheduler_failover_keys"),
        }
        upgrade_service(
            migrations_dir(str(ROOT / "services/scheduler/src/vern/scheduler/main.py")),
            urls["SCHEDULER_DATABASE_URL"],
            urls["SCHEDULER_KEYSTORE_URL"],
        )
        yield urls


@pytest.fixture
def replicas(
    database: dict[str, str], tmp_path: Path
) -> Iterator[dict[int, subprocess.Popen[bytes]]]:
    nowhere = f"http://127.0.0.1:{_free_port()}"  # no peer or identity provider: jobs just fail
    env = {
        **os.environ,
        **database,
        "SCHEDULER_ENVIRONMENT": "test",
        "SCHEDULER_LOCK_RETRY_SECONDS": "0.5",
        "SCHEDULER_OUTBOX_INTERVAL_SECONDS": "3600",
        "SCHEDULER_TOKEN_ISSUER": nowhere,
        "SCHEDULER_REGISTRY_URL": nowhere,
        "SCHEDULER_CONSENT_URL": nowhere,
        "SCHEDULER_DSAR_URL": nowhere,
    }
    processes: dict[int, subprocess.Popen[bytes]] = {}
    for index in range(2):
        port = _free_port()
        log = (tmp_path / f"scheduler-{index}.log").open("wb")
        processes[port] = subprocess.Popen(
            [sys.executable, "-m", "vern.scheduler", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    yield processes
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_one_replica_is_active_and_the_standby_takes_over_when_it_is_killed(
    replicas: dict[int, subprocess.Popen[bytes]],
) -> None:
    ports = list(replicas)

    def one_active() -> dict[int, str | None] | None:
        roles = {port: role(port) for port in ports}
        return roles if sorted(map(str, roles.values())) == ["active", "standby"] else None

    roles = wait_for(one_active, timeout=60)
    # Settled: still exactly one active a few lock rounds later.
    time.sleep(1.5)
    assert one_active() == roles
    active = next(port for port, r in roles.items() if r == "active")
    standby = next(port for port in ports if port != active)

    os.kill(replicas[active].pid, signal.SIGKILL)
    replicas[active].wait(timeout=10)
    killed = time.monotonic()

    wait_for(lambda: role(standby) == "active", timeout=TAKEOVER_WAIT)
    print(f"\nactive scheduler killed: the standby took over in {time.monotonic() - killed:.1f} s")
    metrics = httpx.get(f"http://127.0.0.1:{standby}/scheduler/metrics", timeout=5).text
    assert "vern_scheduler_active 1.0" in metrics

"""Real processes for the fault tests: the dev IdP, a service on a database of its own, started,
killed by pid (SIGKILL) and started again; and waiting for a condition rather than a time."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

ROOT = Path(__file__).resolve().parents[2]
IDP_PORT = 9000  # the issuer URL the services trust by default names it
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], T | None], timeout: float, what: str, step: float = 0.05) -> T:
    """Polls `check` until it returns something true; fails naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.TransportError:
        return False


class Process:
    """One process with its log in a file; `kill()` is SIGKILL by pid, with no chance to tidy up."""

    def __init__(self, argv: list[str], *, log: Path, env: Mapping[str, str], cwd: Path = ROOT):
        self.log = log
        with log.open("ab") as out:
            self.popen = subprocess.Popen(
                argv, cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def serve(name: str, port: int, env: Mapping[str, str], logs: Path) -> Process:
    """`python -m vern.<name> serve` on `port`, ready (its /ready answers) before it returns."""
    log = logs / f"{name}-{port}.log"
    process = Process(
        [sys.executable, "-m", f"vern.{name}", "serve", "--port", str(port)], log=log, env=env
    )
    url = f"http://127.0.0.1:{port}/{name}/ready"

    def ready() -> bool:
        if not process.alive():
            raise AssertionError(f"{name} exited; see {log}")
        return answers(url)

    wait_for(ready, timeout=60, what=f"{name} ready", step=0.2)
    return process


@contextmanager
def dev_idp(logs: Path) -> Iterator[Process]:
    """The development identity provider (client credentials for the services' own calls)."""
    process = Process(
        ["node", "server.js"],
        log=logs / "dev-idp.log",
        env={**os.environ, "PORT": str(IDP_PORT)},
        cwd=ROOT / "deploy" / "dev-idp",
    )
    try:
        wait_for(
            lambda: answers(f"http://localhost:{IDP_PORT}/.well-known/openid-configuration"),
            timeout=60,
            what="the dev IdP answers",
            step=0.2,
        )
        yield process
    finally:
        process.stop()


def run_cli(name: str, command: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m vern.<name> <command>` to its end (e.g. verify-audit)."""
    return subprocess.run(
        [sys.executable, "-m", f"vern.{name}", command],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def service_env(prefix: str, **values: Any) -> dict[str, str]:
    """The environment of a service in a fault test: test mode, Nok. Bergen's profile."""
    env = {
        **os.environ,
        f"{prefix}_ENVIRONMENT": "test",
        f"{prefix}_ORG_PROFILE": str(ROOT / "deploy" / "orgs" / "nokbergen.yaml"),
    }
    env.update({f"{prefix}_{key.upper()}": str(value) for key, value in values.items()})
    return env

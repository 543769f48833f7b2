"""Runs the whole of Vern on one machine for development and tests: the dev IdP, an SMTP sink,
the four services and the SPA. Development only: never a way to deploy (see deploy/)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

SERVICES: dict[str, int] = {"registry": 8001, "consent": 8002, "dsar": 8003, "scheduler": 8004}
IDP_PORT = 9000
SMTP_PORT = 1025
SPA_PORT = 8080


def project_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "deploy" / "dev-idp").is_dir() and (folder / "services").is_dir():
            return folder
    raise RuntimeError("run this from inside the Vern checkout")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    pump: threading.Thread


@dataclass
class DevStack:
    """Starts processes in order and waits for each to be ready; `stop()` ends them all."""

    root: Path
    var: Path
    profile: str = "nokbergen"
    echo: bool = True
    frontend: str | None = "dev"  # "dev" (Vite dev server), "preview" (built SPA) or None
    extra_env: Mapping[str, str] = field(default_factory=dict)
    # Per service: (data URL, key-store URL), e.g. databases of a PostgreSQL server; a service
    # not named here gets SQLite files under `var`.
    databases: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)

    def service_env(self, name: str) -> dict[str, str]:
        prefix = name.upper()
        data_url, keystore_url = self.databases.get(
            name, (f"sqlite:///{self.var / name}.db", f"sqlite:///{self.var / name}-keys.db")
        )
        env = {
            **os.environ,
            **self.extra_env,
            f"{prefix}_DATABASE_URL": data_url,
            f"{prefix}_KEYSTORE_URL": keystore_url,
            f"{prefix}_ORG_PROFILE": str(self.root / "deploy" / "orgs" / f"{self.profile}.yaml"),
            f"{prefix}_ENVIRONMENT": "development",
            "VERN_PERSONAS": str(self.root / "deploy" / "dev-idp" / "personas.json"),
        }
        for key, value in self.extra_env.items():
            env[key] = value
        return env

    def start(self) -> DevStack:
        self.var.mkdir(parents=True, exist_ok=True)
        (self.var / "logs").mkdir(exist_ok=True)
        (self.var / "mail").mkdir(exist_ok=True)
        self._start_idp()
        self._spawn(
            "smtp",
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{SMTP_PORT}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(self.var / "mail" / "inbox"),
            ],
        )
        for name, port in SERVICES.items():
            env = self.service_env(name)
            for command in ("migrate", "seed"):
                subprocess.run(  # noqa: S603 - our own interpreter and module
                    [sys.executable, "-m", f"vern.{name}", command],
                    env=env,
                    check=True,
                    cwd=self.root,
                )
            self._spawn(
                name, [sys.executable, "-m", f"vern.{name}", "serve", "--port", str(port)], env=env
            )
        for name, port in SERVICES.items():
            self._wait(f"http://127.0.0.1:{port}/{name}/ready", name)
        if self.frontend:
            script = "dev" if self.frontend == "dev" else "preview"
            self._spawn(
                "spa",
                ["npm", "run", script, "--", "--port", str(SPA_PORT), "--strictPort"],
                cwd=self.root / "frontend",
            )
            self._wait(f"http://localhost:{SPA_PORT}/", "spa")
        return self

    def _start_idp(self) -> None:
        idp = self.root / "deploy" / "dev-idp"
        self._spawn(
            "dev-idp", ["node", "server.js"], cwd=idp, env={**os.environ, "PORT": str(IDP_PORT)}
        )
        self._wait(f"http://localhost:{IDP_PORT}/.well-known/openid-configuration", "dev-idp")

    def _spawn(
        self,
        name: str,
        argv: list[str],
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        popen = subprocess.Popen(  # noqa: S603
            argv,
            cwd=cwd or self.root,
            env=dict(env or os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log = (self.var / "logs" / f"{name}.log").open("ab")
        pump = threading.Thread(
            target=_pump, args=(name, popen.stdout, log, self.echo), daemon=True
        )
        pump.start()
        self.processes.append(Process(name, popen, pump))

    def _wait(self, url: str, name: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = next(p for p in self.processes if p.name == name)
            if process.popen.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {process.popen.returncode}; see {self.var}/logs/{name}.log"
                )
            try:
                if httpx.get(url, timeout=2.0).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{name} was not ready within {timeout:.0f}s")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
        self.processes.clear()

    def kill(self, name: str) -> None:
        """Stops one process at once (for tests of what happens when a service is down)."""
        for process in self.processes:
            if process.name == name and process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()

    def restart(self, name: str) -> None:
        """Starts a service (or the dev IdP) stopped by `kill` again on its port and waits until
        it is ready. The dev IdP keeps its sessions and grants in memory: it starts without any."""
        self.processes = [p for p in self.processes if p.name != name or p.popen.poll() is None]
        if name == "dev-idp":
            self._start_idp()
            return
        port = SERVICES[name]
        argv = [sys.executable, "-m", f"vern.{name}", "serve", "--port", str(port)]
        self._spawn(name, argv, env=self.service_env(name))
        self._wait(f"http://127.0.0.1:{port}/{name}/ready", name)

    def __enter__(self) -> DevStack:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_: object) -> None:
        self.stop()


def _pump(name: str, stream: IO[bytes] | None, log: IO[bytes], echo: bool) -> None:
    if stream is None:
        return
    with log:
        for line in iter(stream.readline, b""):
            log.write(line)
            log.flush()
            if echo:
                sys.stdout.write(f"[{name}] {line.decode(errors='replace')}")
                sys.stdout.flush()


def run(argv: Iterable[str] = ()) -> int:
    """`vern run`: everything up until Ctrl-C."""
    root = project_root()
    stack = DevStack(
        root=root, var=root / "var", profile=os.environ.get("VERN_PROFILE", "nokbergen")
    )
    stopping = threading.Event()
    # Ctrl-C and SIGTERM both stop everything (set explicitly: a parent may have ignored SIGINT).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    try:
        stack.start()
        print(
            "\nVern is running:\n"
            f"  app        http://localhost:{SPA_PORT}/  (log in as counsellor, coordinator, manager, dpo; password vern-dev)\n"
            f"  dev IdP    http://localhost:{IDP_PORT}/\n"
            + "".join(f"  {n:<10} http://localhost:{p}/{n}/docs\n" for n, p in SERVICES.items())
            + f"  mail sink  {stack.var / 'mail' / 'inbox'}\nCtrl-C stops everything.\n",
            flush=True,
        )
        while not stopping.is_set():
            for process in stack.processes:
                if process.popen.poll() is not None:
                    print(
                        f"{process.name} stopped (exit {process.popen.returncode}); stopping all",
                        file=sys.stderr,
                    )
                    return 1
            stopping.wait(1.0)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0

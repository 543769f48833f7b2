"""Erasures carried out while something fails: dsar, the registry or consent killed (SIGKILL, by
pid) with an erase call in flight and started again; the PostgreSQL server stopped and started;
and network faults between dsar and the services (500 and 503 answers, timeouts, refused
connections), injected by a proxy on loopback in front of the registry and of consent.

Real processes on one PostgreSQL server, under Nok. Bergen's profile (an erasure is carried out
at once): the dev IdP, the registry, consent and dsar. Each test registers clients who opt in to
the newsletter (so both the registry and consent hold them) and one client nobody asks about,
asks dsar to erase the first ones, breaks something, and then lets the scheduler's redelivery
(dsar's deliver endpoint) and staff (the outside systems' manual tasks) finish. Then: every
erasure is completed, each store erased each subject once (one audit event per subject, one
receipt per request), nothing of them is left in any store, the bystander is untouched, every
failed task showed an error without personal data, and every service's audit chain verifies.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine

from vern.kit.audit import AuditEvent
from vern.kit.crypto import subject_key
from vern.kit.devtoken import fetch_client_token, fetch_persona_token
from vern.kit.testing.pgserver import PostgresServer

from .faultproxy import FaultProxy
from .processes import Process, dev_idp, free_port, run_cli, serve, service_env, wait_for

pytestmark = pytest.mark.integration

SUBJECTS = 2  # clients asking to be erased, per test
WAIT = 45.0  # seconds: the bound on each wait on a busy machine
SERVICES = ("registry", "consent", "dsar")


def _url(engine_url: str) -> str:
    return engine_url.replace("postgresql://", "postgresql+psycopg://", 1)


@dataclass
class Stack:
    """Registry, consent and dsar on their own databases; dsar reaches the two through proxies."""

    urls: dict[str, str]
    logs: Path
    postgres: PostgresServer
    ports: dict[str, int] = field(default_factory=lambda: {s: free_port() for s in SERVICES})
    processes: dict[str, Process] = field(default_factory=dict)
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.proxies = {
            name: FaultProxy(free_port(), self.ports[name]) for name in ("registry", "consent")
        }
        self.engines: dict[str, Engine] = {
            name: create_engine(_url(url), pool_pre_ping=True) for name, url in self.urls.items()
        }

    def env(self, service: str) -> dict[str, str]:
        values: dict[str, Any] = {
            "database_url": self.urls[service],
            "keystore_url": self.urls[f"{service}_keys"],
        }
        if service == "registry":
            values["consent_url"] = f"http://127.0.0.1:{self.ports['consent']}"
        if service == "consent":
            values["registry_url"] = f"http://127.0.0.1:{self.ports['registry']}"
        if service == "dsar":
            values["registry_url"] = f"http://127.0.0.1:{self.proxies['registry'].port}"
            values["consent_url"] = f"http://127.0.0.1:{self.proxies['consent'].port}"
            values["http_timeout_seconds"] = 2
            values["http_retries"] = 2
        return service_env(service.upper(), **values)

    def start(self, service: str) -> Process:
        process = serve(service, self.ports[service], self.env(service), self.logs)
        self.processes[service] = process
        return process

    def kill(self, service: str) -> None:
        self.processes[service].kill()

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}/{service}{path}"

    def auth(self, persona: str, service: str) -> dict[str, str]:
        key = (persona, service)
        if key not in self.tokens:
            if persona == "scheduler":
                self.tokens[key] = fetch_client_token(
                    "vern-scheduler", "dev-secret-vern-scheduler", resource=f"urn:vern:{service}"
                )
            else:
                self.tokens[key] = fetch_persona_token(persona, resource=f"urn:vern:{service}")
        return {"Authorization": f"Bearer {self.tokens[key]}"}

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()
        for proxy in self.proxies.values():
            proxy.close()
        for engine in self.engines.values():
            engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    logs = tmp_path_factory.mktemp("erasure-faults")
    postgres = PostgresServer()
    with postgres:
        urls = {}
        for service in SERVICES:
            for name in (service, f"{service}_keys"):
                urls[name] = postgres.create_database(name)
        running = Stack(urls=urls, logs=logs, postgres=postgres)
        for service in SERVICES:  # one process each: the services' models share no metadata
            migrated = run_cli(service, "migrate", running.env(service))
            assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        try:
            with dev_idp(logs):
                for service in SERVICES:
                    running.start(service)
                yield running
        finally:
            running.stop()


@dataclass
class Client:
    person_id: str
    email: str
    name: str


def register(stack: Stack, tag: str, n: int) -> Client:
    """A client in the registry who opts in to the newsletter, and so is in consent too."""
    email = f"slett.{tag}.{n}@example.org"
    name = f"Slettemeg {tag.capitalize()} Nummer{n}"
    response = httpx.post(
        stack.url("registry", "/persons"),
        json={
            "full_name": name,
            "email": email,
            "phone": f"+47412{n:05d}",
            "newsletter_opt_in": True,
        },
        headers=stack.auth("coordinator", "registry"),
        timeout=WAIT,
    )
    assert response.status_code == 201, response.text
    person_id = response.json()["id"]

    def in_consent() -> bool:
        found = httpx.get(
            stack.url("consent", "/subjects"),
            params={"subject_ref": person_id},
            headers=stack.auth("manager", "consent"),
            timeout=WAIT,
        )
        return found.status_code == 200 and bool(found.json())

    wait_for(in_consent, timeout=WAIT, what="the client's consent in consent", step=0.2)
    return Client(person_id=person_id, email=email, name=name)


def ask_erasure(stack: Stack, client: Client) -> dict[str, Any]:
    response = httpx.post(
        stack.url("dsar", "/requests"),
        json={
            "type": "erasure",
            "channel": "staff",
            "email": client.email,
            "identity_check": "id_document",
        },
        headers=stack.auth("manager", "dsar"),
        timeout=WAIT,
    )
    assert response.status_code == 201, response.text
    request: dict[str, Any] = response.json()
    return request


def read_request(stack: Stack, request_id: str) -> dict[str, Any]:
    response = httpx.get(
        stack.url("dsar", f"/requests/{request_id}"),
        headers=stack.auth("manager", "dsar"),
        timeout=WAIT,
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def deliver(stack: Stack) -> httpx.Response | None:
    """The scheduler's redelivery; None when dsar did not answer."""
    try:
        return httpx.post(
            stack.url("dsar", "/internal/outbox/deliver"),
            headers=stack.auth("scheduler", "dsar"),
            timeout=WAIT,
        )
    except httpx.TransportError:
        return None


def service_tasks(request: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["target"]: t for t in request["tasks"] if t["kind"] == "service"}


def finish(stack: Stack, request_ids: list[str], errors: list[str]) -> None:
    """Redelivers until every service task is done (collecting the errors shown meanwhile), then
    marks the outside systems' manual tasks done: every request must complete."""

    def all_called() -> bool:
        deliver(stack)
        done = True
        for request_id in request_ids:
            tasks = service_tasks(read_request(stack, request_id))
            errors.extend(t["error"] for t in tasks.values() if t["error"])
            done = done and all(t["status"] == "done" for t in tasks.values())
        return done

    wait_for(all_called, timeout=WAIT, what="every erasure's calls done", step=0.5)
    for request_id in request_ids:
        request = read_request(stack, request_id)
        for task in request["tasks"]:
            if task["kind"] == "manual" and task["status"] != "done":
                marked = httpx.post(
                    stack.url("dsar", f"/requests/{request_id}/tasks/{task['id']}/done"),
                    json={"note": "Søkt, ingenting funnet."},
                    headers=stack.auth("manager", "dsar"),
                    timeout=WAIT,
                )
                assert marked.status_code == 200, marked.text
        assert read_request(stack, request_id)["status"] == "completed"


def count_by_subject(engine: Engine, action: str, ids: list[str]) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEvent.subject_id, func.count())  # type: ignore[call-overload]
            .where(AuditEvent.action == action)
            .group_by(AuditEvent.subject_id)
        ).all()
    return {str(s): int(n) for s, n in rows if str(s) in ids}


def check(
    stack: Stack,
    erased: list[Client],
    bystander: Client,
    request_ids: list[str],
    errors: list[str],
) -> dict[str, str]:
    """The guarantees after recovery; returns, per store, the requests it erased for, those it
    never erased for (lost) and the erasures it carried out more than once (twice)."""
    ids = [c.person_id for c in erased]
    figures: dict[str, str] = {}
    # Each store erased each subject once: one audit event per subject (the registry's person,
    # and consent's subscriber found by the registry's id), one stored receipt per request.
    assert count_by_subject(stack.engines["registry"], "subject.erase", ids) == dict.fromkeys(
        ids, 1
    )
    for service, action in (("registry", "subject.erase"), ("consent", "subscriber.erase")):
        with stack.engines[service].connect() as conn:
            reasons = conn.execute(
                select(AuditEvent.reason, func.count())  # type: ignore[call-overload]
                .where(AuditEvent.action == action)
                .group_by(AuditEvent.reason)
            ).all()
        by_request = {str(r).removeprefix("request "): int(n) for r, n in reasons}
        done = [by_request.get(r, 0) for r in request_ids]
        figures[service] = (
            f"{sum(1 for n in done if n)} erased, {sum(1 for n in done if not n)} lost, "
            f"{sum(n - 1 for n in done if n > 1)} twice"
        )
        assert {r: by_request.get(r) for r in request_ids} == dict.fromkeys(request_ids, 1), (
            service,
            by_request,
        )
    with stack.engines["consent"].connect() as conn:
        subscribers = {
            str(row[0]): str(row[1])
            for row in conn.execute(text("SELECT id, subject_ref FROM subscriber"))
        }
    assert bystander.person_id in subscribers.values()
    assert not set(ids) & set(subscribers.values())
    for service, table in (("registry", "erasure_receipt"), ("consent", "erasure_receipt")):
        with stack.engines[service].connect() as conn:
            rows = conn.execute(
                text(f"SELECT request_id, count(*) FROM {table} GROUP BY request_id")  # noqa: S608
            ).all()
        by_request = {str(r): int(n) for r, n in rows if str(r) in request_ids}
        assert by_request == dict.fromkeys(request_ids, 1), (service, by_request)
    # Nothing of them left: no row, no key; the bystander is untouched.
    with stack.engines["registry"].connect() as conn:
        persons = {str(i) for i in conn.execute(text("SELECT id FROM person")).scalars()}
    with stack.engines["registry_keys"].connect() as conn:
        keys = {str(s) for s in conn.execute(select(subject_key.c.subject_id)).scalars()}
    assert not set(ids) & persons
    assert not set(ids) & keys
    assert bystander.person_id in persons
    assert bystander.person_id in keys
    read = httpx.get(
        stack.url("registry", f"/persons/{bystander.person_id}"),
        headers=stack.auth("manager", "registry"),
        timeout=WAIT,
    )
    assert read.status_code == 200
    assert read.json()["full_name"] == bystander.name
    # Errors name the store and the status, nothing of the person.
    for error in errors:
        for client in [*erased, bystander]:
            for secret in (client.email, client.name, client.email.split("@")[0]):
                assert secret not in error, error
    for service in SERVICES:
        verified = run_cli(service, "verify-audit", stack.env(service))
        assert verified.returncode == 0, (service, verified.stdout + verified.stderr)
    return figures


def fail_first_calls(stack: Stack, clients: list[Client], errors: list[str]) -> list[str]:
    """Erasures asked while the registry answers 500: stored with their registry call failed."""
    stack.proxies["registry"].inject("500", "/registry/internal/", times=len(clients) * 2)
    request_ids = []
    for client in clients:
        request = ask_erasure(stack, client)
        tasks = service_tasks(request)
        assert tasks["registry"]["status"] == "failed", tasks
        assert tasks["registry"]["error"] == "registry subjects/search: HTTP 500"
        errors.append(tasks["registry"]["error"])
        request_ids.append(request["id"])
    return request_ids


def redeliver_holding(stack: Stack, service: str) -> threading.Thread:
    """The scheduler's redelivery running, with the first erase call held on its way to
    `service`; returns once that call is held."""
    proxy = stack.proxies[service]
    proxy.inject("hold", f"/{service}/internal/subjects/erase", times=1)
    held_before = len(proxy.held)

    def keep_delivering() -> None:
        deadline = time.monotonic() + WAIT
        while len(proxy.held) == held_before and time.monotonic() < deadline:
            deliver(stack)
            time.sleep(0.5)

    runner = threading.Thread(target=keep_delivering, daemon=True)
    runner.start()
    wait_for(lambda: len(proxy.held) > held_before, timeout=WAIT, what="an erase call held")
    return runner


def scenario(stack: Stack, tag: str, fault: Callable[[], None]) -> None:
    started = time.monotonic()
    clients = [register(stack, tag, n) for n in range(SUBJECTS)]
    bystander = register(stack, tag, 99)
    errors: list[str] = []
    request_ids = fail_first_calls(stack, clients, errors)
    fault()
    finish(stack, request_ids, errors)
    completed = sum(read_request(stack, r)["status"] == "completed" for r in request_ids)
    figures = check(stack, clients, bystander, request_ids, errors)
    print(
        f"\n{tag}: {completed} of {len(request_ids)} erasures completed; "
        + "; ".join(f"{store}: {line}" for store, line in figures.items())
        + f"; errors shown {sorted(set(errors))}, {time.monotonic() - started:.1f} s"
    )


def test_dsar_killed_with_an_erase_call_in_flight(stack: Stack) -> None:
    def kill_dsar() -> None:
        runner = redeliver_holding(stack, "registry")
        stack.kill("dsar")
        runner.join(timeout=WAIT)
        # The call reaches the registry after all, which erases; dsar never hears of it.
        stack.proxies["registry"].release()
        wait_for(
            lambda: stack.proxies["registry"].count("subjects/erase") >= 1,
            timeout=WAIT,
            what="the held erase forwarded",
        )
        stack.start("dsar")

    scenario(stack, "dsar", kill_dsar)


@pytest.mark.parametrize("service", ["registry", "consent"])
def test_a_service_killed_with_an_erase_call_in_flight(stack: Stack, service: str) -> None:
    def kill_service() -> None:
        runner = redeliver_holding(stack, service)
        stack.proxies[service].release(after_forward=lambda: stack.kill(service))
        wait_for(
            lambda: not stack.processes[service].alive(), timeout=WAIT, what=f"{service} killed"
        )
        runner.join(timeout=WAIT)
        stack.start(service)

    scenario(stack, service, kill_service)


def test_postgresql_stopped_with_an_erase_call_in_flight(stack: Stack) -> None:
    def stop_postgres() -> None:
        runner = redeliver_holding(stack, "registry")
        stack.postgres.pause()
        stack.proxies["registry"].release()
        runner.join(timeout=WAIT)
        stack.postgres.resume()

    scenario(stack, "postgres", stop_postgres)


def test_network_faults_between_dsar_and_the_services(stack: Stack) -> None:
    """503s (retried within a call), 500s, a timeout and refused connections, on both services."""

    def network() -> None:
        registry, consent = stack.proxies["registry"], stack.proxies["consent"]
        registry.inject("503", "/registry/internal/subjects/erase", times=3)
        consent.inject("timeout", "/consent/internal/subjects/search", times=1)
        consent.inject("500", "/consent/internal/subjects/erase", times=2)
        deliver(stack)
        consent.refuse()
        deliver(stack)
        consent.accept()

    scenario(stack, "network", network)

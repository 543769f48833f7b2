"""Benchmark: the manager's request queue (`GET /dsar/requests?limit=50`) in-process, with the
queue the load test builds (clients asking for access with BankID, every request answered at once
with its registry, consent and outside-system tasks), on SQLite or PostgreSQL.

Prints the queue's cost per call (ms, p50 and p99) and its SQL statements per call (data
database and key store), and as a baseline the cost of one request read by id
(`GET /dsar/requests/{id}`), with the ratio of the two; `--profile` prints a pyinstrument
profile of the queue calls.

    uv run python -m tests.bench.dsar_queue [--db postgresql] [--requests 200] [--calls 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
from sqlalchemy import event
from sqlalchemy.engine import Engine

from vern.dsar import main as dsar_main
from vern.dsar.config import DsarSettings
from vern.dsar.peers import peers
from vern.kit.auth import TokenVerifier
from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import TrustedIssuer
from vern.kit.testing.pgserver import PostgresServer
from vern.kit.testing.tokens import TEST_ISSUER, FixedToken, TokenFactory

AUDIENCE = "urn:vern:dsar"
# Invented people with valid test fødselsnummer, as the dev IdP's BankID clients.
CLIENTS = ("15076500565", "14038543882")


def no_match(request: httpx.Request) -> httpx.Response:
    """Registry and consent as in the load test: they hold nothing about the clients."""
    service = request.url.path.split("/")[1]
    body = json.loads(request.content)
    if request.url.path.endswith("/subjects/search"):
        return httpx.Response(200, json={"service": service, "subjects": []})
    if request.url.path.endswith("/subjects/export"):
        return httpx.Response(
            200, json={"service": service, "request_id": body["request_id"], "subjects": []}
        )
    return httpx.Response(404, json={"title": "Not found", "status": 404})


class StatementCounter:
    """Counts the SQL statements the engines run."""

    def __init__(self, *engines: Engine) -> None:
        self.count = 0
        for engine in engines:
            event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, *_: Any) -> None:
        self.count += 1


@contextmanager
def inline_threadpool() -> Iterator[None]:
    original = anyio.to_thread.run_sync

    async def inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


@dataclass
class Timing:
    latencies_ms: list[float]
    cpu_ms: float  # CPU time of this process per call: steadier than latency on a busy machine
    statements: float  # per call

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies_ms, 99)


async def timed(
    calls: int, call: Callable[[], Awaitable[httpx.Response]], counter: StatementCounter
) -> Timing:
    latencies: list[float] = []
    before = counter.count
    cpu = time.process_time()
    for _ in range(calls):
        started = time.perf_counter()
        response = await call()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"answered {response.status_code}")
    cpu_ms = (time.process_time() - cpu) * 1000 / calls
    return Timing(latencies, cpu_ms, (counter.count - before) / calls)


async def run(args: argparse.Namespace, settings: DsarSettings) -> None:
    tokens = TokenFactory(TEST_ISSUER)
    verifier = TokenVerifier(settings, fetch=lambda _issuer: tokens.jwks())
    app = dsar_main.create_app(settings, verifier)
    app.state.peers = peers(
        settings, credentials=FixedToken(), transport=httpx.MockTransport(no_match)
    )
    counter = StatementCounter(app.state.engine, app.state.keystore)
    manager = {"Authorization": f"Bearer {tokens.staff(AUDIENCE, 'manager')}"}
    clients = [
        {"Authorization": f"Bearer {tokens.client(AUDIENCE, nnin, str(uuid.uuid4()))}"}
        for nnin in CLIENTS
    ]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as http:
        ids = []
        for n in range(args.requests):
            created = await http.post(
                "/dsar/requests", json={"type": "access"}, headers=clients[n % 2]
            )
            if created.status_code != 201:
                raise RuntimeError(f"filing answered {created.status_code}")
            ids.append(created.json()["id"])

        def queue() -> Awaitable[httpx.Response]:
            return http.get("/dsar/requests", params={"limit": 50}, headers=manager)

        def one() -> Awaitable[httpx.Response]:
            return http.get(f"/dsar/requests/{ids[-1]}", headers=manager)

        size = len((await queue()).content)
        await timed(10, queue, counter)  # warm
        await timed(10, one, counter)
        with ExitStack() as stack:
            profiler = None
            if args.profile:
                from pyinstrument import Profiler

                # The sync handlers run on the main thread while profiled: pyinstrument
                # samples only the thread it was started on.
                stack.enter_context(inline_threadpool())
                profiler = stack.enter_context(Profiler(async_mode="enabled"))
            listed = await timed(args.calls, queue, counter)
        if profiler is not None:
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        alone = await timed(args.calls, one, counter)
    print(
        f"request queue, {args.requests} access requests filed, page of 50, "
        f"{args.calls} calls in-process, {settings.database_url.split(':')[0]}"
    )
    for label, timing in (
        ("GET /dsar/requests?limit=50", listed),
        ("GET /dsar/requests/{id}", alone),
    ):
        print(f"  {label:29} p50 {timing.p50:7.2f} ms  p99 {timing.p99:7.2f} ms  "
              f"CPU {timing.cpu_ms:6.2f} ms  {timing.statements:4.1f} SQL statements per call")  # fmt: skip
    print(f"  queue page {size / 1024:.1f} KiB; ratio queue / one request: "
          f"p50 {listed.p50 / alone.p50:.2f}, CPU {listed.cpu_ms / alone.cpu_ms:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=200, help="access requests in the queue")
    parser.add_argument("--calls", type=int, default=200, help="queue reads to time")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile")
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.db == "postgresql":
            server = stack.enter_context(PostgresServer())
            urls = server.create_database("dsar_bench"), server.create_database("dsar_bench_keys")
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vern-bench-")))
            urls = f"sqlite:///{tmp}/dsar.db", f"sqlite:///{tmp}/dsar-keys.db"
        settings = DsarSettings(
            environment="test",
            database_url=urls[0],
            keystore_url=urls[1],
            issuers=[TrustedIssuer(issuer=TEST_ISSUER, kind="staff")],
            log_level="WARNING",
        )
        upgrade_service(migrations_dir(dsar_main.__file__), urls[0], urls[1])
        asyncio.run(run(args, settings))


if __name__ == "__main__":
    main()

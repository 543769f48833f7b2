"""Load test: a mixed day of traffic over all four services on PostgreSQL, with real tokens from
the dev IdP; the highest rate the machine holds with p99 under 100 ms and no errors, held for
`--duration` seconds, reported per service (rate, p50, p99, errors) and per operation.

    make bench-load                       # step search, then 600 s at the rate found
    make bench-load DURATION=60 RATE=40   # no search: 60 s at 40 requests/s
    uv run python -m tests.bench.load_day --help   # step length, seed size, --mail-from-outbox

It starts the dev stack (dev IdP, SMTP sink, registry, consent, dsar, scheduler; one uvicorn worker
each) on a throwaway PostgreSQL server on loopback (fsync off), seeds a centre through the APIs
(day_traffic.py) and drives an open model: requests arrive as a Poisson process at the target
rate whatever the answers, so a slow service cannot slow the arrivals down (no coordinated
omission); latency counts from each request's scheduled arrival. Each operation is drawn by its
weight in a day.

A rate holds when there are no errors (an unexpected status, a timeout, or a request not sent
because `--max-in-flight` were open), the p99 of each service's interactive calls is under
100 ms, and each fan-out call (an access request, the retention preview, a SendGrid batch) stays
under its own objective of a second (see day_traffic.Operation); the report gives each service's
p50 and p99 over all its calls as well.

The load generator must not be what limits the rate: it is one asyncio process with httpx, and
every step reports its own CPU use (share of one core) and dispatch lag (how late it sent a
request after its scheduled time, which the latencies include). A step where the generator used
more than 80 % of a core is marked "generator-bound" and ends the search: its figures would be
the generator's, not Vern's. A high lag at low generator CPU means the machine is busy.

Each step also reads from /proc the CPU seconds of every service, of PostgreSQL and of the
generator, per request of the mix: a figure that holds up better than latency on a machine shared
with other work, and whose sum gives a ceiling on the rate the machine's cores could carry. If the
hold at the rate found does not hold (the search's steps are short), run again with a lower RATE.

The stack uses the fixed dev ports (8001-8004, 9000, 1025): on a shared machine run it in a
network namespace of its own, e.g. `unshare -n bash -c 'ip link set lo up; make bench-load'`.
Every loop is bounded: at most `--max-steps` search steps of `--step-seconds`, a hold of at most
3,000 s (the tokens live an hour), at most `--max-in-flight` requests open, 10 s per request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.bench.cpu import Meter, meter, spent
from tests.bench.day_traffic import (
    DAY,
    INTERACTIVE_MS,
    Centre,
    Operation,
    confirmation_links,
    fetch_tokens,
    seed,
)
from tests.bench.sendgrid_webhook import Key
from vern.kit.devstack import SERVICES, DevStack, project_root
from vern.kit.testing.pgserver import PostgresServer

GENERATOR_CPU_LIMIT = 0.8
PROGRESS_SECONDS = 60.0
REQUEST_TIMEOUT = 10.0
MAX_HOLD_SECONDS = 3000


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def pct(self, q: int) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[q - 1]


@dataclass
class Step:
    rate: float
    seconds: float
    by_operation: dict[str, Samples]
    dropped: int
    generator_cpu: float
    lag: Samples
    error_codes: dict[str, int]
    cpu_seconds: dict[str, float]

    def service(self, name: str, *, interactive_only: bool) -> Samples:
        merged = Samples()
        for op in DAY:
            if op.service == name and (op.interactive or not interactive_only):
                samples = self.by_operation.get(op.name, Samples())
                merged.latencies_ms += samples.latencies_ms
                merged.errors += samples.errors
        return merged

    @property
    def requests(self) -> int:
        return sum(len(s.latencies_ms) for s in self.by_operation.values())

    def cpu_per_request_ms(self, part: str | None = None) -> float:
        """CPU milliseconds per request of all traffic: of one part, or of every part but the
        load generator (the services, PostgreSQL; the dev IdP and SMTP sink are idle)."""
        if not self.requests:
            return float("nan")
        if part is None:
            used = sum(v for k, v in self.cpu_seconds.items() if k != "generator")
        else:
            used = self.cpu_seconds.get(part, 0.0)
        return used * 1000 / self.requests

    @property
    def generator_bound(self) -> bool:
        return self.generator_cpu > GENERATOR_CPU_LIMIT

    @property
    def errors(self) -> int:
        return self.dropped + sum(s.errors for s in self.by_operation.values())

    def over_objective(self) -> list[str]:
        """Services whose interactive p99 and fan-out operations whose p99 broke their limit."""
        over = [name for name in SERVICES
                if self.service(name, interactive_only=True).pct(99) >= INTERACTIVE_MS]  # fmt: skip
        over += [op.name for op in DAY if not op.interactive
                 and self.by_operation.get(op.name, Samples()).pct(99) >= op.objective_ms]  # fmt: skip
        return over

    @property
    def holds(self) -> bool:
        return self.errors == 0 and not self.over_objective() and not self.generator_bound


async def drive(
    centre: Centre,
    http: httpx.AsyncClient,
    day: tuple[Operation, ...],
    *,
    rate: float,
    seconds: float,
    max_in_flight: int,
    seed_no: int,
    meter: Meter,
) -> Step:
    """Open model: Poisson arrivals at `rate` for `seconds`, then waits for what is in flight."""
    rng = random.Random(seed_no)
    weights = [op.weight for op in day]
    by_operation: dict[str, Samples] = defaultdict(Samples)
    codes: dict[str, int] = defaultdict(int)
    lag = Samples()
    in_flight: set[asyncio.Task[None]] = set()
    dropped = 0

    async def one(op: Operation, scheduled: float) -> None:
        lag.latencies_ms.append((time.perf_counter() - scheduled) * 1000)
        try:
            response = await op.call(centre, http, rng)
            failed = response.status_code not in op.expected
            code = str(response.status_code)
        except httpx.HTTPError as exc:
            failed, code = True, type(exc).__name__
        latency = (time.perf_counter() - scheduled) * 1000
        by_operation[op.name].latencies_ms.append(latency)
        by_operation[op.name].errors += failed
        if failed:
            codes[f"{op.name}: {code}"] += 1

    cpu_began, began, used_before = time.process_time(), time.perf_counter(), meter()
    at = began
    end = began + seconds
    report_at = began + PROGRESS_SECONDS
    while True:
        at += rng.expovariate(rate)
        if at >= end:
            break
        if at >= report_at and seconds > PROGRESS_SECONDS:
            sent = sum(len(s.latencies_ms) for s in by_operation.values())
            failed = sum(s.errors for s in by_operation.values()) + dropped
            print(f"    {at - began:5.0f} s: {sent} answered, {failed} errors", flush=True)
            report_at += PROGRESS_SECONDS
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= max_in_flight:
            dropped += 1
            continue
        op = rng.choices(day, weights)[0]
        task = asyncio.create_task(one(op, at))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.wait(in_flight, timeout=REQUEST_TIMEOUT + 5)
    elapsed = time.perf_counter() - began
    cpu = (time.process_time() - cpu_began) / elapsed
    used = spent(used_before, meter())
    return Step(rate, seconds, dict(by_operation), dropped, cpu, lag, dict(codes), used)


def step_line(step: Step) -> str:
    verdict = "generator-bound" if step.generator_bound else ("holds" if step.holds else "fails")
    per_service = " ".join(
        f"{name} {step.service(name, interactive_only=True).pct(99):4.0f}" for name in SERVICES
    )
    over = ", ".join(step.over_objective())
    return (f"{step.rate:7.1f} req/s {step.seconds:.0f} s: p99 ms {per_service}; errors "
            f"{step.errors}; generator cpu {step.generator_cpu:4.0%} lag p99 "
            f"{step.lag.pct(99):5.1f} ms; cpu/request {step.cpu_per_request_ms():5.1f} ms"
            f" -> {verdict}{f' (over: {over})' if over else ''}")  # fmt: skip


StepRunner = Callable[[float, int], Awaitable[Step]]


async def search(
    run_step: StepRunner, *, start_rate: float, max_steps: int, precision: float, pause: float = 2.0
) -> float | None:
    """Step search: grows the rate by half until a step fails, then bisects between the last
    rate that held and the first that did not, until they are within `precision`; at most
    `max_steps` steps. Returns the highest rate that held (None: not even the lowest tried)."""
    held: float | None = None
    failed: float | None = None
    rate = start_rate
    for n in range(max_steps):
        step = await run_step(rate, n)
        print(step_line(step), flush=True)
        if step.generator_bound:
            print("the load generator limits this rate; stopping the search here", flush=True)
            break
        if step.holds:
            held = rate
        else:
            failed = rate
            for what, count in sorted(step.error_codes.items()):
                print(f"    {count:5d} x {what}", flush=True)
        if failed is None:
            rate = rate * 1.5
        elif held is None:
            rate = rate / 2
            if rate < 0.5:
                break
        elif failed / held <= 1 + precision:
            break
        else:
            rate = (held + failed) / 2
        await asyncio.sleep(pause)  # let the services settle between steps
    return held


def report(step: Step) -> None:
    print(f"\nheld {step.rate:.1f} requests/s (Poisson arrivals) for {step.seconds:.0f} s, "
          f"PostgreSQL, one uvicorn worker per service:")  # fmt: skip
    print(f"{'service':<12}{'rate/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>9}{'requests':>10}"
          f"   {'p99 ms of interactive calls (objective 100)':>44}")  # fmt: skip
    for name in SERVICES:
        s = step.service(name, interactive_only=False)
        i = step.service(name, interactive_only=True)
        print(f"{name:<12}{len(s.latencies_ms) / step.seconds:9.1f}{s.pct(50):9.1f}"
              f"{s.pct(99):9.1f}{s.errors:9d}{len(s.latencies_ms):10d}   {i.pct(99):44.1f}")  # fmt: skip
    print(f"\n{'operation':<36}{'rate/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>9}"
          f"{'objective':>11}")  # fmt: skip
    for op in DAY:
        s = step.by_operation.get(op.name, Samples())
        print(f"{op.name:<36}{len(s.latencies_ms) / step.seconds:9.2f}{s.pct(50):9.1f}"
              f"{s.pct(99):9.1f}{s.errors:9d}{op.objective_ms:9.0f} ms")  # fmt: skip
    for what, count in sorted(step.error_codes.items()):
        print(f"    {count:5d} x {what}")
    print(f"\ndropped (more than the in-flight cap open): {step.dropped}; load generator: "
          f"{step.generator_cpu:.0%} of one core, dispatch lag p50 {step.lag.pct(50):.2f} ms, "
          f"p99 {step.lag.pct(99):.2f} ms")  # fmt: skip
    parts = ", ".join(
        f"{part} {step.cpu_per_request_ms(part):.1f}"
        for part in (*SERVICES, "postgresql", "generator")
    )
    total = step.cpu_per_request_ms()
    print(f"CPU ms per request of the whole mix: {parts}; all but the generator {total:.1f}, so "
          f"{os.cpu_count()} cores at most ~{1000 * (os.cpu_count() or 1) / total:.0f} requests/s "
          f"before the CPU runs out (a ceiling: latency limits come first)")  # fmt: skip
    verdict = "HOLDS" if step.holds else "DOES NOT HOLD"
    print(f"every service's interactive p99 under {INTERACTIVE_MS:.0f} ms, every fan-out call's "
          f"under its objective, no errors: {verdict}")  # fmt: skip


async def run_day(stack_var: Path, key: Key, meter: Meter, args: argparse.Namespace) -> bool:
    centre = Centre(tokens=fetch_tokens(), webhook_key=key, mail_dir=stack_var / "mail" / "inbox")
    limits = httpx.Limits(max_connections=args.max_in_flight, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT) as http:
        await seed(centre, http, clients=args.clients, waitlist=args.waitlist,
                   subscribers=args.subscribers)  # fmt: skip
        rate = args.rate
        if rate is None:

            def run_step(rate: float, n: int) -> Awaitable[Step]:
                return drive(centre, http, DAY, rate=rate, seconds=args.step_seconds,
                             max_in_flight=args.max_in_flight, seed_no=100 + n,
                             meter=meter)  # fmt: skip

            rate = await search(run_step, start_rate=args.start_rate, max_steps=args.max_steps,
                                precision=args.precision)  # fmt: skip
            if rate is None:
                print("no rate held; nothing to hold")
                return False
            await asyncio.sleep(2)
        centre.tokens = fetch_tokens()  # fresh tokens: each lives an hour
        print(f"\nholding {rate:.1f} requests/s for {args.duration:.0f} s ...", flush=True)
        step = await drive(centre, http, DAY, rate=rate, seconds=args.duration,
                           max_in_flight=args.max_in_flight, seed_no=1, meter=meter)  # fmt: skip
    report(step)
    await asyncio.sleep(2)  # the last confirmation mails leave after their requests
    links = confirmation_links(centre.mail_dir)
    print(f"confirmation mails in the SMTP sink over the whole run: {sum(links.values())} for "
          f"{len(links)} sign-ups ({sum(links.values()) - len(links)} sent more than once)")  # fmt: skip
    return step.holds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=600.0, help="seconds at the rate found")
    parser.add_argument("--rate", type=float, help="hold this rate (requests/s); no search")
    parser.add_argument("--start-rate", type=float, default=10.0)
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--max-steps", type=int, default=12)
    parser.add_argument("--precision", type=float, default=0.1, help="search until within this")
    parser.add_argument("--max-in-flight", type=int, default=256)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--waitlist", type=int, default=40)
    parser.add_argument("--subscribers", type=int, default=150)
    parser.add_argument(
        "--mail-from-outbox",
        action="store_true",
        help="consent queues mail for the scheduler instead of sending it after each request",
    )
    args = parser.parse_args()
    if not 0 < args.duration <= MAX_HOLD_SECONDS:
        parser.error(f"--duration must be between 0 and {MAX_HOLD_SECONDS} seconds")

    key = Key()
    var = Path(tempfile.mkdtemp(prefix="vern-load-"))
    with PostgresServer() as server:
        databases = {
            name: (server.create_database(name), server.create_database(f"{name}_keys"))
            for name in SERVICES
        }
        env = {f"{name.upper()}_LOG_LEVEL": "WARNING" for name in SERVICES}
        env["CONSENT_SENDGRID_WEBHOOK_PUBLIC_KEY"] = key.public
        if args.mail_from_outbox:
            env["CONSENT_DELIVER_AFTER_COMMIT"] = "false"
        stack = DevStack(
            root=project_root(Path(__file__)), var=var, echo=False, frontend=None,
            databases=databases, extra_env=env,
        )  # fmt: skip
        with stack:
            print(f"stack up on PostgreSQL; logs in {var / 'logs'}", flush=True)
            pids = {p.name: p.popen.pid for p in stack.processes if p.name in SERVICES}
            pids["postgresql"] = int((server.data / "postmaster.pid").read_text().split()[0])
            holds = asyncio.run(run_day(var, key, meter(pids), args))
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())

"""The load test's own rules: when a step holds, how the step search converges and stops.

uv run --locked pytest -p no:cacheprovider -q tests/bench
"""

from __future__ import annotations

import asyncio
import os

from tests.bench.cpu import tree_seconds
from tests.bench.day_traffic import DAY, visitor
from tests.bench.load_day import Samples, Step, search
from vern.consent.subscriptions.network import truncate_ip

READ = "counsellor reads a client"
ACCESS = "client asks for access"


def step(rate: float, *, read_ms: float = 20.0, access_ms: float = 300.0, errors: int = 0,
         generator_cpu: float = 0.1) -> Step:  # fmt: skip
    by_operation = {
        READ: Samples([read_ms] * 200, errors),
        ACCESS: Samples([access_ms] * 200),
    }
    return Step(rate, 10.0, by_operation, 0, generator_cpu, Samples([1.0] * 10), {}, {})


def test_a_step_holds_with_fast_interactive_calls_and_fan_out_calls_within_a_second() -> None:
    assert step(10).holds
    assert not step(10, read_ms=100).holds
    assert not step(10, access_ms=1000).holds
    assert not step(10, errors=1).holds
    assert step(10).over_objective() == []
    assert step(10, read_ms=150).over_objective() == ["registry"]


def test_a_request_not_sent_because_too_many_were_open_counts_as_an_error() -> None:
    dropped = step(10)
    dropped.dropped = 1
    assert dropped.errors == 1
    assert not dropped.holds


def test_a_busy_load_generator_makes_the_step_generator_bound_not_a_pass() -> None:
    busy = step(10, generator_cpu=0.9)
    assert busy.generator_bound
    assert not busy.holds


def run_search(capacity: float, *, max_steps: int = 20, bound_at: float = 1e9) -> tuple[float | None, list[float]]:  # fmt: skip
    tried: list[float] = []

    async def run_step(rate: float, n: int) -> Step:
        tried.append(rate)
        return step(rate, read_ms=20 if rate <= capacity else 400,
                    generator_cpu=0.9 if rate >= bound_at else 0.1)  # fmt: skip

    found = asyncio.run(search(run_step, start_rate=10, max_steps=max_steps, precision=0.1,
                               pause=0))  # fmt: skip
    return found, tried


def test_search_finds_the_highest_rate_that_holds_within_the_precision() -> None:
    found, tried = run_search(37.0)
    assert found is not None
    assert 37.0 / 1.1 <= found <= 37.0
    assert len(tried) < 20


def test_search_steps_down_when_the_first_rate_fails() -> None:
    found, _ = run_search(3.0)
    assert found is not None
    assert 3.0 / 1.1 <= found <= 3.0


def test_search_gives_up_below_half_a_request_a_second() -> None:
    found, tried = run_search(0.1)
    assert found is None
    assert min(tried) >= 0.5


def test_search_is_bounded_by_its_step_count() -> None:
    _, tried = run_search(1e6, max_steps=5)
    assert len(tried) == 5


def test_search_stops_at_the_first_generator_bound_step() -> None:
    found, tried = run_search(1e6, bound_at=30)
    assert tried[-1] >= 30
    assert found is not None
    assert found < 30


def test_every_operation_of_the_day_has_a_service_and_a_positive_weight() -> None:
    assert {op.service for op in DAY} == {"registry", "consent", "dsar", "scheduler"}
    assert all(op.weight > 0 for op in DAY)
    assert len({op.name for op in DAY}) == len(DAY)


def test_cpu_of_this_process_is_read_from_proc() -> None:
    assert tree_seconds(os.getpid()) > 0
    assert tree_seconds(2**22 + 1) == 0.0


def test_each_member_of_the_public_signs_up_from_a_network_of_their_own() -> None:
    networks = {truncate_ip(visitor(n)["X-Forwarded-For"]) for n in range(5000)}
    assert len(networks) == 5000

"""Shared benchmark plumbing: servers in their own processes, a bounded load loop, percentiles."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_json(document: dict[str, Any]) -> str:
    """Serves one JSON document on loopback (a JWKS) from a thread; returns its URL."""
    body = json.dumps(document).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/jwks.json"


def start(
    argv: list[str], env: Mapping[str, str], ready_url: str, *, timeout: float = 30.0
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        argv,
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(ready_url, timeout=1).status_code < 500:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{argv} did not start")


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[int(q) - 1]


async def _load(
    url_for: Callable[[int], str], headers: Mapping[str, str], seconds: float, concurrency: int
) -> Result:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def worker(worker_id: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        i = worker_id
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            response = await client.get(url_for(i), headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors += 1
            i += concurrency

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(w, client) for w in range(concurrency)))
        elapsed = time.perf_counter() - began
    return Result(len(latencies), errors, elapsed, latencies)


def load(
    url_for: Callable[[int], str], headers: Mapping[str, str], *, seconds: float, concurrency: int
) -> Result:
    asyncio.run(_load(url_for, headers, 1.0, concurrency))  # warm-up
    return asyncio.run(_load(url_for, headers, seconds, concurrency))


def python() -> str:
    return sys.executable

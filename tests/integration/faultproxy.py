"""A small TCP proxy on loopback that stands between dsar and a service and injects faults.

It reads each HTTP/1.1 request (headers and a Content-Length body), and per request either
forwards it to the service over a fresh connection, answers 500 or 503 itself, never answers
(the caller's timeout), or holds it until the test releases it (so that the test can kill a
process while a call is in flight). A refused connection is the listener closed. Each call made
is recorded by path, so a test counts what reached the service.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Literal

Fault = Literal["500", "503", "timeout", "hold"]


@dataclass
class Rule:
    fault: Fault
    matches: str  # a part of the path
    times: int  # for how many matching calls


@dataclass
class Held:
    path: str
    release: asyncio.Event = field(default_factory=asyncio.Event)
    after_forward: Callable[[], None] | None = None


class FaultProxy:
    """Listens on 127.0.0.1:`port` and forwards to 127.0.0.1:`upstream`; runs in a thread."""

    def __init__(self, port: int, upstream: int) -> None:
        self.port, self.upstream = port, upstream
        self.rules: list[Rule] = []
        self.calls: list[tuple[str, str]] = []  # (path, what happened)
        self.held: list[Held] = []
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.accept()

    def _run(self, coroutine: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout=10)

    def accept(self) -> None:
        """Listens (again)."""

        async def start() -> None:
            self._server = await asyncio.start_server(
                self._handle, "127.0.0.1", self.port, reuse_address=True
            )

        if self._server is None:
            self._run(start())

    def refuse(self) -> None:
        """Closes the listener: every new connection is refused."""

        async def close() -> None:
            if self._server is not None:
                self._server.close()
                self._server = None

        self._run(close())

    def inject(self, fault: Fault, matches: str = "/", times: int = 1) -> None:
        with self._lock:
            self.rules.append(Rule(fault, matches, times))

    def release(self, after_forward: Callable[[], None] | None = None) -> None:
        """Lets the held calls go on to the service; `after_forward` runs once a held call's
        request has been written to the service (e.g. to kill it mid-call)."""

        def go() -> None:
            for held in self.held:
                held.after_forward = after_forward
                held.release.set()

        self._loop.call_soon_threadsafe(go)

    def count(self, matches: str, what: str = "forwarded") -> int:
        with self._lock:
            return sum(1 for path, done in self.calls if matches in path and done == what)

    def close(self) -> None:
        self.refuse()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _fault_for(self, path: str) -> Fault | None:
        with self._lock:
            for rule in self.rules:
                if rule.times > 0 and rule.matches in path:
                    rule.times -= 1
                    return rule.fault
        return None

    def _record(self, path: str, what: str) -> None:
        with self._lock:
            self.calls.append((path, what))

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                length = 0
                for line in lines[1:]:
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                body = await reader.readexactly(length)
                fault = self._fault_for(path)
                self._record(path, fault or "forwarded")
                if fault in ("500", "503"):
                    writer.write(f"HTTP/1.1 {fault} Fault\r\ncontent-length: 0\r\n\r\n".encode())
                    await writer.drain()
                    continue
                if fault == "timeout":
                    await asyncio.sleep(3600)  # the caller gives up first
                    return
                after: Callable[[], None] | None = None
                if fault == "hold":
                    held = Held(path)
                    self.held.append(held)
                    await held.release.wait()
                    after = held.after_forward
                answer = await self._forward(head, body, after)
                if fault == "hold":
                    self._record(path, "forwarded")
                if answer is None:
                    return  # the service went away: so does the connection
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _forward(
        self, head: bytes, body: bytes, after: Callable[[], None] | None
    ) -> bytes | None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            return None
        try:
            lines = [
                line
                for line in head.decode("latin-1").split("\r\n")
                if line and not line.lower().startswith("connection:")
            ]
            writer.write(("\r\n".join([*lines, "connection: close"]) + "\r\n\r\n").encode())
            writer.write(body)
            await writer.drain()
            if after is not None:
                await asyncio.get_running_loop().run_in_executor(None, after)
            answer = await reader.read()  # to the end: the service closes the connection
            return answer or None
        except OSError:
            return None
        finally:
            writer.close()

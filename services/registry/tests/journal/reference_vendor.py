"""A reference journal vendor: what a vendor's system does with Vern's webhooks.

It verifies every request with the `standardwebhooks` package (not Vern's own helpers), refuses a
bad signature with 401, applies each event once by its `webhook-id`, and acts on it: on
`subject.erased` it erases the client's journal, on `journal.retention_due` it shreds the notes.
On dsar's `subject.erasure_requested` it erases the client's journals and, when a dsar callback is
configured, answers at the event's `callback_path` (what it erased) from a thread of its own after
the webhook's answer, retrying until dsar takes it, as a vendor's system would.
`ServedVendor` runs it under uvicorn on a local port, so the registry's outbox reaches it over
real HTTP and a stopped vendor is a refused connection.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PATH = "/webhooks/vern"


@dataclass
class Journal:
    client_id: str
    notes: list[str] = field(default_factory=lambda: ["samtalenotat"])
    erased: bool = False


@dataclass
class VendorState:
    journals: dict[str, Journal] = field(default_factory=dict)  # by the vendor's reference
    applied: list[tuple[str, str]] = field(default_factory=list)  # (webhook-id, type)
    received: list[dict[str, str]] = field(default_factory=list)  # the headers of each request
    rejected: int = 0
    fail_with: int | None = None  # answer every webhook with this status (a broken vendor)
    answered: list[tuple[str, int]] = field(default_factory=list)  # (callback path, dsar's status)


@dataclass(frozen=True)
class DsarCallback:
    """Where dsar listens (`http://host:port`, the callback path is the event's) and how the
    vendor gets its client-credentials token for `urn:vern:dsar`, scope `journal`."""

    base_url: str
    token: Callable[[], str]
    attempts: int = 60
    pause: float = 0.5


def answer_dsar(callback: DsarCallback, state: VendorState, path: str, result: Any) -> None:
    """Posts the vendor's result to dsar until dsar takes it (2xx) or refuses it for good (4xx
    other than 404, which may only mean dsar has not yet stored the task it sent)."""
    for _ in range(callback.attempts):
        try:
            response = httpx.post(
                callback.base_url + path,
                json=result,
                headers={"Authorization": f"Bearer {callback.token()}"},
                timeout=30,
            )
        except httpx.HTTPError:
            time.sleep(callback.pause)
            continue
        if response.is_success or (
            400 <= response.status_code < 500 and response.status_code != 404
        ):
            state.answered.append((path, response.status_code))
            return
        time.sleep(callback.pause)
    state.answered.append((path, 0))


def create_app(secret: str, state: VendorState, dsar: DsarCallback | None = None) -> Starlette:
    webhook = Webhook(secret)

    async def receive(request: Request) -> Response:
        body = await request.body()
        headers = dict(request.headers)
        state.received.append({k: v for k, v in headers.items() if k.startswith("webhook-")})
        if state.fail_with is not None:
            return Response(status_code=state.fail_with)
        try:
            event = webhook.verify(body, headers)
        except (WebhookVerificationError, ValueError):
            state.rejected += 1
            return Response(status_code=401)
        webhook_id = headers["webhook-id"]
        if any(seen == webhook_id for seen, _ in state.applied):
            return Response(status_code=204)  # a repeat: already applied
        result = _apply(state, event)
        state.applied.append((webhook_id, event["type"]))
        if result is not None and dsar is not None:
            path = event["data"]["callback_path"]
            threading.Thread(
                target=answer_dsar, args=(dsar, state, path, result), daemon=True
            ).start()
        return Response(status_code=204)

    return Starlette(routes=[Route(PATH, receive, methods=["POST"])])


def _apply(state: VendorState, event: dict[str, Any]) -> dict[str, Any] | None:
    """Applies an event; for dsar's erasure, returns the answer dsar waits for."""
    data = event["data"]
    if event["type"] == "subject.erasure_requested":
        erased = False
        for journal in state.journals.values():
            if journal.client_id in data.get("client_ids", []):
                journal.erased = True
                journal.notes.clear()
                erased = True
        return {"erased": ["session_notes"] if erased else [], "kept": []}
    journal = state.journals.get(data.get("vendor_reference") or "")
    if journal is None or journal.client_id != data.get("client_id"):
        return
    if event["type"] == "subject.erased":
        journal.erased = True
        journal.notes.clear()
    elif event["type"] == "journal.retention_due":
        journal.notes.clear()
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServedVendor:
    """The reference vendor under uvicorn in a thread; `stop()` then `start()` again on one port."""

    def __init__(self, secret: str, dsar: DsarCallback | None = None) -> None:
        self.state = VendorState()
        self.app = create_app(secret, state=self.state, dsar=dsar)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}{PATH}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the reference vendor did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

"""Fake registry, consent and dsar services answering the internal contract in its exact shapes
(`vern.kit.contract`), behind one `httpx.MockTransport`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from vern.kit.contract import (
    Deadline,
    DeadlineList,
    OutboxDelivery,
    PreviewItem,
    RetentionPreview,
    SweepRequest,
    SweepResult,
)
from vern.kit.testing.tokens import FixedToken

TOKEN = FixedToken().value
PERSON_ID = "7f0c7a52-5a7c-4d59-9d55-3c5b8f0a2b11"  # a subject id the fakes hand out

__all__ = ["PERSON_ID", "TOKEN", "FakeService", "FakeServices", "FixedToken"]


@dataclass
class FakeService:
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    fail_with: int | None = None
    unreachable: bool = False
    # Operations this service answers with 404: "sweep", "outbox", "preview", "deadlines".
    missing: set[str] = field(default_factory=set)
    preview: list[PreviewItem] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)


def _default_services() -> dict[str, FakeService]:
    return {
        "registry": FakeService("registry", counts={"contact_register": 3, "waitlist_entry": 1}),
        "consent": FakeService("consent", counts={"newsletter_address": 2}),
        "dsar": FakeService("dsar"),
    }


@dataclass
class FakeServices:
    services: dict[str, FakeService] = field(default_factory=_default_services)
    during_call: Callable[[], None] | None = None
    calls: list[tuple[str, Any]] = field(default_factory=list)
    timeouts: list[float | None] = field(default_factory=list)  # read timeout of each call

    def __getitem__(self, name: str) -> FakeService:
        return self.services[name]

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        body = json.loads(request.content) if request.content else None
        path = request.url.path
        self.timeouts.append(request.extensions["timeout"]["read"])
        self.calls.append((path, body if request.method == "POST" else dict(request.url.params)))
        if self.during_call is not None:
            self.during_call()
        service = self.services[path.split("/")[1]]
        if service.unreachable:
            raise httpx.ConnectError("connection refused", request=request)
        if service.fail_with is not None:
            # Personal data in an error body must never reach the run record.
            return httpx.Response(
                service.fail_with, json={"detail": "person 15076500565 is locked"}
            )
        operation = path.rsplit("/", 1)[1]
        if operation in service.missing:
            return httpx.Response(404, json={"title": "Not Found", "status": 404})
        if operation == "sweep":
            sweep = SweepRequest.model_validate(body)
            result = SweepResult(
                service=service.name, dry_run=sweep.dry_run, on=date(2026, 11, 22),
                counts=service.counts,
            )  # fmt: skip
            return httpx.Response(200, json=result.model_dump(mode="json"))
        if operation == "deliver":
            delivery = OutboxDelivery(delivered=4, failed=1, dropped=0)
            return httpx.Response(200, json=delivery.model_dump(mode="json"))
        if operation == "send":  # dsar's reminder e-mails
            return httpx.Response(200, json={"sent": len(service.deadlines)})
        if operation == "sync":
            counts = {"pushed": 2, "resolved": 1, "removed": 1, "failed": 0, "skipped": 0}
            return httpx.Response(200, json=counts)
        if operation == "preview":
            until = date.fromisoformat(request.url.params["until"])
            items = [item for item in service.preview if item.due_date <= until]
            preview = RetentionPreview(service=service.name, until=until, items=items)
            return httpx.Response(200, json=preview.model_dump(mode="json"))
        if operation == "deadlines":
            listing = DeadlineList(service=service.name, deadlines=service.deadlines)
            return httpx.Response(200, json=listing.model_dump(mode="json"))
        return httpx.Response(404, json={"title": "Not Found", "status": 404})

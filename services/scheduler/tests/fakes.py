"""A fake registry answering the internal retention and outbox contract in its exact shapes
(`vern.kit.contract`), behind an `httpx.MockTransport`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from vern.kit.contract import OutboxDelivery, SweepRequest, SweepResult
from vern.kit.testing.tokens import FixedToken

TOKEN = FixedToken().value


__all__ = ["TOKEN", "FixedToken"]


@dataclass
class FakeRegistry:
    counts: dict[str, int] = field(
        default_factory=lambda: {"contact_register": 3, "waitlist_entry": 1}
    )
    fail_with: int | None = None
    unreachable: bool = False
    during_call: Callable[[], None] | None = None
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.url.path, body))
        if self.during_call is not None:
            self.during_call()
        if self.unreachable:
            raise httpx.ConnectError("connection refused", request=request)
        if self.fail_with is not None:
            # Personal data in an error body must never reach the run record.
            return httpx.Response(self.fail_with, json={"detail": "person 15076500565 is locked"})
        if request.url.path == "/registry/internal/retention/sweep":
            sweep = SweepRequest.model_validate(body)
            result = SweepResult(
                service="registry", dry_run=sweep.dry_run, on=date(2026, 11, 22), counts=self.counts
            )
            return httpx.Response(200, json=result.model_dump(mode="json"))
        if request.url.path == "/registry/internal/outbox/deliver":
            delivery = OutboxDelivery(delivered=4, failed=1, dropped=0)
            return httpx.Response(200, json=delivery.model_dump(mode="json"))
        return httpx.Response(404, json={"title": "Not found", "status": 404})

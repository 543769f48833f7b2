"""Fake data-holding services answering the internal subject contract in its exact shapes
(`vern.kit.contract`), behind an `httpx.MockTransport`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx

from vern.kit.contract import (
    AccessLogEntry,
    CategoryExport,
    ErasedItem,
    ErasureReceipt,
    ExportResult,
    KeptItem,
    SubjectExport,
    SubjectMatch,
    SubjectSearch,
    SubjectSearchResult,
    SubjectsRequest,
)
from vern.kit.testing.tokens import FixedToken
from vern.kit.webhooks import verify

TOKEN = FixedToken().value


__all__ = ["TOKEN", "FixedToken"]


@dataclass
class FakeService:
    """One service's subjects, found by national id, email or subject reference."""

    name: str
    port: int
    subjects: dict[str, dict[str, str]] = field(default_factory=dict)
    fail_with: int | None = None
    unreachable: bool = False
    times_out: bool = False
    garbled: bool = False  # answers 200 with a body that is not the contract's
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    receipts: dict[str, ErasureReceipt] = field(default_factory=dict)  # by request id

    def hold(self, subject_id: str, **identifiers: str) -> None:
        self.subjects[subject_id] = identifiers

    def bodies(self, operation: str) -> list[dict[str, Any]]:
        return [body for path, body in self.calls if path.endswith(operation)]

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        body = json.loads(request.content)
        self.calls.append((request.url.path, body))
        if self.unreachable:
            raise httpx.ConnectError("connection refused", request=request)
        if self.times_out:
            raise httpx.ReadTimeout("timed out", request=request)
        if self.garbled:
            return httpx.Response(200, json={"unexpected": True})
        if self.fail_with is not None:
            # A careless peer echoing what it was sent: none of it may reach the request's error.
            return httpx.Response(self.fail_with, json={"title": "error", "echo": body})
        if request.url.path == f"/{self.name}/internal/subjects/search":
            return self._search(SubjectSearch.model_validate(body))
        if request.url.path == f"/{self.name}/internal/subjects/export":
            return self._export(SubjectsRequest.model_validate(body))
        if request.url.path == f"/{self.name}/internal/subjects/erase":
            return self._erase(SubjectsRequest.model_validate(body))
        return httpx.Response(404, json={"title": "Not found", "status": 404})

    def _search(self, search: SubjectSearch) -> httpx.Response:
        given = search.identifiers.model_dump(exclude={"subject_refs"}, exclude_none=True)
        matches = []
        for subject_id, held in self.subjects.items():
            matched_on = [kind for kind, value in given.items() if held.get(kind) == value]
            if subject_id in search.identifiers.subject_refs:
                matched_on.append("subject_ref")
            if matched_on:
                matches.append(SubjectMatch(subject_id=subject_id, matched_on=matched_on))
        result = SubjectSearchResult(service=self.name, subjects=matches)
        return httpx.Response(200, json=result.model_dump(mode="json"))

    def _export(self, export: SubjectsRequest) -> httpx.Response:
        result = ExportResult(
            service=self.name,
            request_id=export.request_id,
            subjects=[
                SubjectExport(
                    subject_id=subject_id,
                    categories=[
                        CategoryExport(
                            category=f"{self.name}_data",
                            purpose="Testformål",
                            legal_basis="GDPR art. 6 nr. 1 bokstav a",
                            source="Brukeren selv",
                            recipients=[],
                            retention_due_date=date(2029, 1, 31),
                            data=self.subjects[subject_id],
                        )
                    ],
                    access_log=[
                        AccessLogEntry(
                            occurred_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
                            actor_kind="staff",
                            roles="counsellor",
                            action="person.read",
                            break_glass=False,
                        )
                    ],
                )
                for subject_id in export.subject_ids
            ],
        )
        return httpx.Response(200, json=result.model_dump(mode="json"))

    def _erase(self, erase: SubjectsRequest) -> httpx.Response:
        erased = [
            ErasedItem(subject_id=subject_id, categories=[f"{self.name}_data"])
            for subject_id in erase.subject_ids
            if self.subjects.pop(subject_id, None) is not None
        ]
        receipt = self.receipts.setdefault(
            erase.request_id,
            ErasureReceipt(
                service=self.name,
                request_id=erase.request_id,
                erased=erased,
                kept=[KeptItem(category="suppression", reason="Sperreliste", law=None)]
                if erased and self.name == "consent"
                else [],
                completed_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
            ),
        )
        return httpx.Response(200, json=receipt.model_dump(mode="json"))


@dataclass
class Peers:
    registry: FakeService
    consent: FakeService
    credentials: FixedToken
    vendor: FakeVendor | None = None

    def route(self, request: httpx.Request) -> httpx.Response:
        for service in (self.registry, self.consent):
            if request.url.port == service.port:
                return service.handle(request)
        raise httpx.ConnectError("no such host", request=request)


@dataclass
class FakeVendor:
    """The journal vendor's webhook receiver: checks each signature and records each event."""

    secret: str
    events: list[dict[str, Any]] = field(default_factory=list)
    webhook_ids: list[str] = field(default_factory=list)
    fail_with: int | None = None

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = verify(self.secret, body=request.content, headers=request.headers)
        self.webhook_ids.append(request.headers["webhook-id"])
        if self.fail_with is not None:
            return httpx.Response(self.fail_with)
        self.events.append(body)
        return httpx.Response(204)

"""Request fixtures: the two centres' profiles, a movable clock, and filing a request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from vern.dsar.requests import service as request_service
from vern.kit.orgprofile import OrgProfile, load_profile
from vern.kit.settings import resolve_profile_path

from ..conftest import SOLVEIG

STAFF_BODY = {**SOLVEIG, "name": "Solveig Tveit", "identity_check": "id_document"}


def profile(name: str) -> OrgProfile:
    return load_profile(resolve_profile_path(f"deploy/orgs/{name}.yaml"))


def _use(app: FastAPI, name: str) -> Iterator[OrgProfile]:
    before = app.state.profile
    app.state.profile = profile(name)
    yield app.state.profile
    app.state.profile = before


@pytest.fixture
def tryggere(vern_app: FastAPI) -> Iterator[OrgProfile]:
    """Stiftelsen Tryggere: one month to answer, four-eyes approval of erasures."""
    yield from _use(vern_app, "tryggere")


@pytest.fixture
def nokbergen(vern_app: FastAPI) -> Iterator[OrgProfile]:
    """Nok. Bergen: 30 days to answer, erasure granted at once."""
    yield from _use(vern_app, "nokbergen")


class Clock:
    def __init__(self) -> None:
        self.moment: datetime | None = None

    def set(self, moment: datetime) -> None:
        self.moment = moment.astimezone(UTC)

    def now(self) -> datetime:
        return self.moment if self.moment is not None else datetime.now(UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The dsar service's clock, set by the test."""
    fixed = Clock()
    monkeypatch.setattr(request_service, "now", fixed.now)
    return fixed


File = Callable[..., Any]


async def file_request(
    client: httpx.AsyncClient, headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    response = await client.post("/dsar/requests", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def move(
    client: httpx.AsyncClient, request_id: str, headers: dict[str, str], status: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/dsar/requests/{request_id}/transitions",
        json={"status": status, **extra},
        headers=headers,
    )


VENDOR_ANSWER = {
    "erased": ["session_notes"],
    "kept": [
        {
            "category": "audit_log",
            "reason": "Journalens logg",
            "law": "pasientjournalforskriften § 14",
        }
    ],
}


async def finish_tasks(
    client: httpx.AsyncClient,
    request_id: str,
    headers: dict[str, str],
    vendor: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Marks every open manual task of a request done (the outside systems' part), as staff do,
    and, given the vendor's token, answers the journal vendor's task as the vendor would."""
    current: dict[str, Any] = (
        await client.get(f"/dsar/requests/{request_id}", headers=headers)
    ).json()
    for task in current["tasks"]:
        if task["kind"] == "vendor" and task["status"] == "awaiting_vendor" and vendor:
            answer = await client.post(
                f"/dsar/vendor/tasks/{task['id']}/result", json=VENDOR_ANSWER, headers=vendor
            )
            assert answer.status_code == 204, answer.text
    current = (await client.get(f"/dsar/requests/{request_id}", headers=headers)).json()
    for task in current["tasks"]:
        if task["kind"] == "manual" and task["status"] != "done":
            response = await client.post(
                f"/dsar/requests/{request_id}/tasks/{task['id']}/done",
                json={"note": "Søkt; ingenting funnet."},
                headers=headers,
            )
            assert response.status_code == 200, response.text
            current = response.json()
    return current

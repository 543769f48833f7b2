"""Activities test helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR
from ..module_access import profile_change  # noqa: F401 - a fixture

PARTICIPANT = {"full_name": "Solveig Testesen Lie", "email": "Solveig.Lie@Example.org"}
PLAINTEXTS = ("Solveig", "Lie@", "solveig.lie", "example.org", "92345678")


def upcoming(days: int = 7, hours: int = 2) -> dict[str, str]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=hours)).isoformat(),
    }


async def plan(
    client: httpx.AsyncClient, auth: Tokens, *, counsellor: str = COUNSELLOR, **changes: Any
) -> dict[str, Any]:
    body = {"name": "Kurs i mestring", "kind": "course", **upcoming(), **changes}
    response = await client.post(
        "/registry/activities", json=body, headers=auth.staff("counsellor", sub=counsellor)
    )
    assert response.status_code == 201, response.text
    activity: dict[str, Any] = response.json()
    return activity


async def sign_up(
    client: httpx.AsyncClient, auth: Tokens, activity_id: str, **changes: Any
) -> dict[str, Any]:
    response = await client.post(
        f"/registry/activities/{activity_id}/registrations",
        json={**PARTICIPANT, **changes},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 201, response.text
    registration: dict[str, Any] = response.json()
    return registration

"""Waiting-list test helpers."""

from __future__ import annotations

from typing import Any

import httpx

from vern.kit.testing.tokens import Tokens

from ..module_access import profile_change  # noqa: F401 - a fixture

APPLICANT: dict[str, Any] = {
    "full_name": "Ingrid Testesen Haug",
    "email": "Ingrid.Haug@Example.org",
    "phone": "913 45 678",
    "received_date": "2026-01-05",
    "gender": "female",
    "new_user": True,
    "affected_as": "self_affected",
    "birth_date": "1984-02-29",
    "abuse_kind": "complex",
    "other_help_services": False,
}
PLAINTEXTS = ("Ingrid", "Haug", "example.org", "91345678", "1984-02-29", "self_affected", "complex")


async def put_on_waitlist(
    client: httpx.AsyncClient, auth: Tokens, **changes: object
) -> dict[str, Any]:
    response = await client.post(
        "/registry/waitlist", json={**APPLICANT, **changes}, headers=auth.staff("coordinator")
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body

"""Requests registered through dsar's API as a coordinator would from a letter, for the manager's
and the DPO's browser tests to work on."""

from __future__ import annotations

from typing import Any

import httpx

from vern.kit.devtoken import fetch_persona_token

DSAR = "http://127.0.0.1:8003"


def register_letter_request(kind: str, name: str, email: str) -> dict[str, Any]:
    """A request that came by letter: received, its identity not yet checked."""
    token = fetch_persona_token("coordinator", resource="urn:vern:dsar")
    response = httpx.post(
        f"{DSAR}/dsar/requests",
        json={"type": kind, "channel": "letter_email", "name": name, "email": email},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "received"
    return body

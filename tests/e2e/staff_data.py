"""Requests registered through dsar's API as a coordinator would from a letter, for the manager's
and the DPO's browser tests to work on."""

from __future__ import annotations

from typing import Any

import httpx

from vern.kit.devtoken import fetch_persona_token, load_personas

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


def withdraw_request(request_id: str) -> None:
    """The requester withdraws the request, recorded by the manager through dsar's API."""
    token = fetch_persona_token("manager", resource="urn:vern:dsar")
    response = httpx.post(
        f"{DSAR}/dsar/requests/{request_id}/transitions",
        json={"status": "withdrawn"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "withdrawn"


REGISTRY = "http://127.0.0.1:8001"


def register_client(person: dict[str, Any]) -> dict[str, Any]:
    """A client registered by the coordinator, assigned to the counsellor persona."""
    counsellor = load_personas()["counsellor"]["sub"]
    token = fetch_persona_token("coordinator", resource="urn:vern:registry")
    response = httpx.post(
        f"{REGISTRY}/registry/persons",
        json={**person, "assigned_counsellor_id": counsellor},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def registry_holds(person_id: str) -> bool:
    """Whether the registry still has the client (asked as the coordinator)."""
    token = fetch_persona_token("coordinator", resource="urn:vern:registry")
    response = httpx.get(
        f"{REGISTRY}/registry/persons/{person_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


def finish_manual_tasks(*, channel: str = "self_service") -> list[str]:
    """The manager marks every open manual task of the open erasures from `channel` done through
    dsar's API, as the staff's request page does; returns the tasks' targets."""
    headers = {
        "Authorization": f"Bearer {fetch_persona_token('manager', resource='urn:vern:dsar')}"
    }
    page = httpx.get(
        f"{DSAR}/dsar/requests",
        params={"type": "erasure", "status": "approved"},
        headers=headers,
        timeout=30,
    )
    assert page.status_code == 200, page.text
    done: list[str] = []
    for request in page.json()["items"]:
        if request["channel"] != channel:
            continue
        for task in request["tasks"]:
            if task["kind"] != "manual" or task["status"] == "done":
                continue
            response = httpx.post(
                f"{DSAR}/dsar/requests/{request['id']}/tasks/{task['id']}/done",
                json={"note": "Søkt gjennom; ingenting igjen."},
                headers=headers,
                timeout=30,
            )
            assert response.status_code == 200, response.text
            done.append(task["target"])
    return done

"""Helpers for the breach register's tests: a breach as staff would report it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

# Invented free text of the kind staff write: it names a person and must never be stored or
# logged in the clear.
DESCRIPTION = "Journalnotat om Kari Nordmann (kari.nordmann@example.org) sendt til feil mottaker"
MEASURES = "Mottaker bedt om å slette e-posten; rutine for utsending endret"
ASSESSMENT = "Opplysninger om vold i nære relasjoner: høy risiko for Kari"


def hours_ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def report(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "detected_at": hours_ago(2).isoformat(),
        "discovered_by": "Ola på resepsjonen",
        "description": DESCRIPTION,
        "data_categories": ["name", "email", "abuse_experience"],
        "affected_count": 1,
        "records_count": 3,
        "affected_subject_ids": ["7b0f7c1e-0c7a-4c37-9d4e-5f0b1a2c3d4e"],
    }
    body.update(changes)
    return body


async def create_breach(
    client: httpx.AsyncClient, auth: Tokens, role: str = "manager", sub: str | None = None,
    **changes: Any,
) -> dict[str, Any]:  # fmt: skip
    response = await client.post(
        "/dsar/breaches", json=report(**changes), headers=auth.staff(role, sub=sub)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def profile_with(vern_app: FastAPI) -> Any:
    """Swaps the app's org profile for a changed copy during one test."""
    original: OrgProfile = vern_app.state.profile
    changed: list[bool] = []

    def swap(**sections: Any) -> OrgProfile:
        profile = original.model_copy(update=sections)
        vern_app.state.profile = profile
        changed.append(True)
        return profile

    yield swap
    vern_app.state.profile = original

"""For the waiting list, activities and statistics: the callers every staff-only operation must
refuse (and the answer each gets), and a fixture that switches parts of the org profile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

TEST_CLIENT_NATIONAL_ID = "15076500565"

Headers = Callable[[Tokens], dict[str, str]]

# name -> (headers, expected status)
REFUSED: dict[str, tuple[Headers, int]] = {
    "no token": (lambda auth: {}, 401),
    "another service's audience": (
        lambda auth: auth.other_audience("urn:vern:consent", "manager"),
        401,
    ),
    "manager without a second factor": (
        lambda auth: auth.staff("manager", second_factor=False),
        403,
    ),
    "client": (lambda auth: auth.client(TEST_CLIENT_NATIONAL_ID), 403),
    "machine": (lambda auth: auth.machine(), 403),
}


def staff(role: str, sub: str | None = None) -> Headers:
    return lambda auth: auth.staff(role, sub=sub)


@pytest.fixture
def profile_change(vern_app: FastAPI) -> Iterator[Callable[..., OrgProfile]]:
    """Changes the loaded org profile for one test: `profile_change(modules={"waitlist": False})`
    updates the named sections."""
    original: OrgProfile = vern_app.state.profile

    def change(**sections: dict[str, Any]) -> OrgProfile:
        updates = {
            name: getattr(original, name).model_copy(update=values)
            for name, values in sections.items()
        }
        vern_app.state.profile = original.model_copy(update=updates)
        changed: OrgProfile = vern_app.state.profile
        return changed

    yield change
    vern_app.state.profile = original

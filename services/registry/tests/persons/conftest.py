"""Client fixtures: the org profile in force (Nok. Bergen by default, Tryggere, or one that
collects every field) and a registration helper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from vern.kit.orgprofile import ClientField, OrgProfile, load_profile
from vern.kit.settings import resolve_profile_path
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR

# Synthetic national ids (check digits computed, no real person), all born 15 July 1965.
FNR = "15076500565"
DNR = "55076500559"
HNR = "15476500548"
FNR_2032 = "15076500573"

CLIENT: dict[str, Any] = {
    "full_name": "Sigrid Testesen Fjell",
    "email": "Sigrid.Fjell@Example.org",
    "phone": "912 34 567",
    "birth_date": "1965-07-15",
    "gender": "female",
    "heard_about": "internet",
    "assigned_counsellor_id": COUNSELLOR,
}


def load(name: str) -> OrgProfile:
    return load_profile(resolve_profile_path(f"deploy/orgs/{name}.yaml"))


def every_field(profile: OrgProfile) -> OrgProfile:
    """A profile collecting every client field, with partners, anonymity and the journal on."""
    record = profile.client_record.model_copy(
        update={
            "client_fields": tuple(ClientField),
            "anonymous_clients_allowed": True,
            "partner_contact": True,
        }
    )
    modules = profile.modules.model_copy(update={"journal_vendor": True})
    return profile.model_copy(update={"client_record": record, "modules": modules})


UseProfile = Callable[[OrgProfile | str], OrgProfile]


@pytest.fixture
def use_profile(vern_app: FastAPI) -> Iterator[UseProfile]:
    """Puts a profile in force for one test: "tryggere", "nokbergen", "every_field" or a profile."""
    original: OrgProfile = vern_app.state.profile

    def use(profile: OrgProfile | str) -> OrgProfile:
        if isinstance(profile, str):
            profile = every_field(load("nokbergen")) if profile == "every_field" else load(profile)
        vern_app.state.profile = profile
        return profile

    yield use
    vern_app.state.profile = original


@pytest.fixture
def every_field_profile(use_profile: UseProfile) -> OrgProfile:
    return use_profile("every_field")


async def register(client: httpx.AsyncClient, auth: Tokens, **changes: object) -> dict[str, Any]:
    body = {k: v for k, v in {**CLIENT, **changes}.items() if v is not ...}
    response = await client.post("/registry/persons", json=body, headers=auth.staff("coordinator"))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created

"""Finding clients: by part of the name (decrypted in the service), exactly by email, phone or
national id (blind indexes); only the clients the caller may see; never a name in a URL."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens
from vern.registry.persons import search as person_search

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from .conftest import FNR, register

pytestmark = pytest.mark.anyio


async def _search(
    client: httpx.AsyncClient, headers: dict[str, str], **query: object
) -> httpx.Response:
    return await client.post("/registry/persons/search", json=query, headers=headers)


async def _ids(client: httpx.AsyncClient, headers: dict[str, str], **query: object) -> list[str]:
    response = await _search(client, headers, **query)
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


async def test_a_part_of_the_name_finds_the_client_in_any_case(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    sigrid = await register(client, auth)
    await register(client, auth, full_name="Åse Ørnes", email="ase@example.org")
    coordinator = auth.staff("coordinator")
    assert await _ids(client, coordinator, name="testesen") == [sigrid["id"]]
    assert len(await _ids(client, coordinator, name="ØRNES")) == 1
    assert await _ids(client, coordinator, name="nobody") == []


async def test_there_is_no_plaintext_name_index(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    await register(client, auth)
    await _search(client, auth.staff("coordinator"), name="Testesen")
    dump = repr(db_session.execute(text("SELECT * FROM person")).all())
    dump += repr(db_session.execute(text("SELECT * FROM audit_event")).all())
    assert "Testesen" not in dump
    assert "testesen" not in dump


async def test_a_counsellor_finds_only_their_own_clients(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    mine = await register(client, auth)
    await register(client, auth, assigned_counsellor_id=OTHER_COUNSELLOR)
    counsellor = auth.staff("counsellor", sub=COUNSELLOR)
    assert await _ids(client, counsellor, name="Sigrid") == [mine["id"]]
    assert await _ids(client, counsellor, email="sigrid.fjell@example.org") == [mine["id"]]


async def test_exact_lookup_by_email_phone_and_national_id(
    client: httpx.AsyncClient, auth: Tokens, every_field_profile: OrgProfile
) -> None:
    person = await register(client, auth, national_id=FNR)
    await register(client, auth, full_name="Annen", email="annen@example.org", phone="40000003")
    coordinator = auth.staff("coordinator")
    assert await _ids(client, coordinator, email="SIGRID.FJELL@example.org") == [person["id"]]
    assert await _ids(client, coordinator, phone="+47 912 34 567") == [person["id"]]
    assert await _ids(client, coordinator, national_id=FNR) == [person["id"]]


async def test_a_search_needs_exactly_one_criterion(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    coordinator = auth.staff("coordinator")
    assert (await _search(client, coordinator)).status_code == 422
    both = await _search(client, coordinator, name="Sigrid", email="s@example.org")
    assert both.status_code == 422


async def test_name_search_is_paginated(client: httpx.AsyncClient, auth: Tokens) -> None:
    for n in range(5):
        await register(client, auth, full_name=f"Kari Nordmann {n}", email=f"k{n}@example.org")
    coordinator = auth.staff("coordinator")
    first = await _ids(client, coordinator, name="nordmann", limit=2)
    second = await _ids(client, coordinator, name="nordmann", limit=2, offset=2)
    third = await _ids(client, coordinator, name="nordmann", limit=2, offset=4)
    assert len(first) == 2
    assert len(second) == 2
    assert len(third) == 1
    assert len(set(first + second + third)) == 5


async def test_name_search_stops_at_its_bound_and_says_so(
    client: httpx.AsyncClient, auth: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(person_search, "MAX_NAME_SCAN", 2)
    monkeypatch.setattr(person_search, "_BATCH", 1)
    for n in range(4):
        await register(client, auth, full_name=f"Ola {n}", email=f"o{n}@example.org")
    response = await _search(client, auth.staff("coordinator"), name="nobody")
    assert response.json() == {"items": [], "complete": False}


async def test_dpo_cannot_search_clients(client: httpx.AsyncClient, auth: Tokens) -> None:
    assert (await _search(client, auth.staff("dpo"), name="Sigrid")).status_code == 403

"""Rotating the blind-index key: clients stay findable by email, phone and national id before,
during (rows under the old and the new key side by side, re-indexed a batch at a time) and after
the rotation, when the old key is gone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session

from vern.kit.contract import SubjectIdentifiers
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile
from vern.kit.reindex import reindex_table, remaining
from vern.kit.settings import DEV_BLIND_INDEX_KEY, DEV_KEK
from vern.kit.testing.tokens import Tokens
from vern.registry.internal import service as internal_service
from vern.registry.reindex import TABLES

from .conftest import DNR, FNR, FNR_2032, HNR, register

pytestmark = pytest.mark.anyio

NEW_KEY = b"n" * 32
CLIENTS = [
    (FNR, "en@example.org", "40000001"),
    (DNR, "to@example.org", "40000002"),
    (HNR, "tre@example.org", "40000003"),
]


def _vault(app: FastAPI, *, old: bool, new: bool) -> Vault:
    import base64

    return Vault(
        app.state.keystore,
        keks={"dev-1": base64.b64decode(DEV_KEK)},
        active_kek_id="dev-1",
        blind_index_key=base64.b64decode(DEV_BLIND_INDEX_KEY) if old else None,
        blind_index_keys={"2027": NEW_KEY} if new else {},
        active_blind_index_key_id="2027" if new else None,
    )


@pytest.fixture
def app_vault(vern_app: FastAPI) -> Iterator[FastAPI]:
    original = vern_app.state.vault
    yield vern_app
    vern_app.state.vault = original


async def _found(client: httpx.AsyncClient, auth: Tokens, **query: str) -> list[str]:
    response = await client.post(
        "/registry/persons/search", json=query, headers=auth.staff("coordinator")
    )
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


def _stored_indexes(session: Session) -> list[str]:
    rows = session.execute(text("SELECT email_bidx, phone_bidx, national_id_bidx FROM person"))
    return [value for row in rows for value in row if value is not None]


async def test_clients_stay_findable_while_the_blind_index_key_rotates(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    app_vault: FastAPI,
    every_field_profile: OrgProfile,
) -> None:
    people = {}
    for national_id, email, phone in CLIENTS:
        created = await register(client, auth, national_id=national_id, email=email, phone=phone)
        people[created["id"]] = (national_id, email, phone)
    assert not any(":" in value for value in _stored_indexes(db_session))

    during = _vault(app_vault, old=True, new=True)
    app_vault.state.vault = during  # every replica has both keys, the new one active
    late = await register(
        client, auth, national_id=FNR_2032, email="fire@example.org", phone="40000004"
    )
    people[late["id"]] = (FNR_2032, "fire@example.org", "40000004")

    def still_findable() -> nullcontext[Session]:
        """Before each batch: every client found through the contract's search (sync)."""
        for person_id, (national_id, email, phone) in people.items():
            for identifiers in (
                SubjectIdentifiers(national_id=national_id),
                SubjectIdentifiers(email=email.upper()),
                SubjectIdentifiers(phone=f"+47 {phone}"),
            ):
                matches = internal_service.search(
                    session=db_session, vault=during, identifiers=identifiers
                )
                assert [m.subject_id for m in matches] == [person_id], identifiers
        return nullcontext(db_session)

    person_table = next(t for t in TABLES if t.name == "person")
    assert remaining(still_findable, during, person_table) == 3
    done = reindex_table(still_findable, during, person_table, batch_size=1)

    assert done.rewritten == 3
    assert done.unreadable == 0
    assert remaining(still_findable, during, person_table) == 0
    assert all(value.startswith("2027:") for value in _stored_indexes(db_session))
    app_vault.state.vault = _vault(app_vault, old=False, new=True)  # the old key is gone
    for person_id, (national_id, email, phone) in people.items():
        assert await _found(client, auth, national_id=national_id) == [person_id]
        assert await _found(client, auth, email=email) == [person_id]
        assert await _found(client, auth, phone=phone) == [person_id]

"""Rotating the blind-index key: a client keeps seeing exactly their own requests (found by the
blind index of their national id) before, during and after the re-index, and once the old key is
gone; an erased request's keyed hashes, which cannot be recomputed, are left as they were."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from contextlib import nullcontext

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.dsar.reindex import TABLES
from vern.dsar.requests import repository as request_repository
from vern.dsar.requests.models import DataRequest
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.reindex import reindex_table, remaining
from vern.kit.settings import DEV_BLIND_INDEX_KEY, DEV_KEK
from vern.kit.testing.tokens import Tokens

from ..conftest import OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers
from .conftest import file_request

pytestmark = pytest.mark.anyio


def _vault(app: FastAPI, *, old: bool) -> Vault:
    return Vault(
        app.state.keystore,
        keks={"dev-1": base64.b64decode(DEV_KEK)},
        active_kek_id="dev-1",
        blind_index_key=base64.b64decode(DEV_BLIND_INDEX_KEY) if old else None,
        blind_index_keys={"2027": b"n" * 32},
        active_blind_index_key_id="2027",
    )


@pytest.fixture
def app_vault(vern_app: FastAPI) -> Iterator[FastAPI]:
    original = vern_app.state.vault
    yield vern_app
    vern_app.state.vault = original


async def _listed(client: httpx.AsyncClient, auth: Tokens, national_id: str) -> set[str]:
    response = await client.get("/dsar/requests", headers=auth.client(national_id))
    assert response.status_code == 200, response.text
    return {r["id"] for r in response.json()["items"]}


async def test_a_client_keeps_seeing_their_own_requests_while_the_blind_index_key_rotates(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    app_vault: FastAPI,
    services: Peers,
) -> None:
    solveig = auth.client(SOLVEIG["national_id"])
    mine = {(await file_request(client, solveig, type="access"))["id"]}
    erased = (await file_request(client, solveig, type="access"))["id"]
    mine.add(erased)
    _destroy_identifiers(db_session, erased)
    theirs = {(await file_request(client, auth.client(OTHER_NATIONAL_ID), type="access"))["id"]}

    during = _vault(app_vault, old=True)
    app_vault.state.vault = during
    mine.add((await file_request(client, solveig, type="access"))["id"])
    assert await _listed(client, auth, SOLVEIG["national_id"]) == mine
    for request_id in mine:
        response = await client.get(f"/dsar/requests/{request_id}", headers=solveig)
        assert response.status_code == 200, response.text

    def still_found() -> nullcontext[Session]:
        """Before each batch: the client's requests are found through the blind index."""
        filters = request_repository.Filters(
            national_id_bidxs=during.blind_indexes("national_id", SOLVEIG["national_id"])
        )
        found, _ = request_repository.search(
            session=db_session, filters=filters, limit=10, offset=0
        )
        assert {str(r.id) for r in found} == mine
        return nullcontext(db_session)

    table = TABLES[0]
    done = reindex_table(still_found, during, table, batch_size=1)

    assert done.rewritten == 2  # the two filed before the rotation with their identifiers
    assert done.unreadable == 1  # the erased one: only its keyed hashes are left, unchanged
    assert remaining(still_found, during, table) == 1
    assert await _listed(client, auth, SOLVEIG["national_id"]) == mine
    for data_request in db_session.exec(select(DataRequest)):
        if str(data_request.id) != erased:
            assert (data_request.national_id_bidx or "2027:").startswith("2027:")
    app_vault.state.vault = _vault(app_vault, old=False)
    # Without the old key the erased request's hash no longer matches: kept as evidence, no
    # longer listed to the client (the README says to keep the old key while that matters).
    assert await _listed(client, auth, SOLVEIG["national_id"]) == mine - {erased}
    assert await _listed(client, auth, OTHER_NATIONAL_ID) == theirs


def _destroy_identifiers(session: Session, request_id: str) -> None:
    """As an erasure does to the closed requests naming the person: identifiers gone, hashes kept."""
    data_request = session.get(DataRequest, uuid.UUID(request_id))
    assert data_request is not None
    data_request.name_ct = data_request.national_id_ct = data_request.email_ct = None
    data_request.identifiers_shredded_at = now_utc()
    session.add(data_request)
    session.flush()

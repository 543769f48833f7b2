"""Rotating the key-encryption key while the register answers: every client's record reads back
between each batch of re-wrapped data keys, and after the old KEK is removed."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from vern.kit.crypto import Vault
from vern.kit.db import make_engine
from vern.kit.migrations import KEYSTORE_MIGRATIONS, upgrade
from vern.kit.settings import DEV_BLIND_INDEX_KEY, DEV_KEK
from vern.kit.testing.plugin import Databases
from vern.kit.testing.tokens import Tokens

from .conftest import register

pytestmark = pytest.mark.anyio

OLD, NEW = base64.b64decode(DEV_KEK), b"r" * 32


def _vault(keystore: Engine, keks: dict[str, bytes], active: str) -> Vault:
    return Vault(
        keystore, keks=keks, active_kek_id=active,
        blind_index_key=base64.b64decode(DEV_BLIND_INDEX_KEY), cache_seconds=0,
    )  # fmt: skip


@pytest.fixture
def app_vault(vern_app: FastAPI) -> Iterator[FastAPI]:
    original = vern_app.state.vault
    yield vern_app
    vern_app.state.vault = original


@pytest.fixture
def keystore(vern_databases: Databases) -> Engine:
    """A key store of the test's own: the rotation re-wraps every key in it."""
    url = vern_databases.make(f"keys_{uuid.uuid4().hex[:8]}")
    upgrade(KEYSTORE_MIGRATIONS, url)
    return make_engine(url)


async def _names(client: httpx.AsyncClient, auth: Tokens, ids: list[str]) -> list[str]:
    names = []
    for person_id in ids:
        response = await client.get(
            f"/registry/persons/{person_id}", headers=auth.staff("coordinator")
        )
        assert response.status_code == 200, response.text
        names.append(response.json()["full_name"])
    return names


async def test_every_record_reads_back_while_the_kek_is_rotated_in_batches(
    client: httpx.AsyncClient, auth: Tokens, app_vault: FastAPI, keystore: Engine
) -> None:
    app_vault.state.vault = _vault(keystore, {"dev-1": OLD}, "dev-1")
    ids = [
        (await register(client, auth, full_name=f"Klient {n}", email=f"k{n}@example.org"))["id"]
        for n in range(3)
    ]
    expected = [f"Klient {n}" for n in range(3)]
    rotating = _vault(keystore, {"dev-1": OLD, "2027-05": NEW}, "2027-05")
    app_vault.state.vault = rotating

    batches = 0
    while rotating.rewrap_batch(batch_size=1):
        batches += 1
        assert await _names(client, auth, ids) == expected

    assert batches == 3
    assert rotating.keys_by_kek() == {"2027-05": 3}
    app_vault.state.vault = _vault(keystore, {"2027-05": NEW}, "2027-05")
    assert await _names(client, auth, ids) == expected

"""Rotating the blind-index key while a client's e-mail proof waits for its code: once the proofs
are re-indexed, the code still confirms the proof and the client still owns it, with the old key
gone; before, without the old key, the proof could no longer be found."""

from __future__ import annotations

from contextlib import nullcontext

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.dsar.me import repository as proof_repository
from vern.dsar.me.models import EmailProof
from vern.dsar.reindex import TABLES
from vern.kit.reindex import reindex_table, remaining
from vern.kit.testing.tokens import Tokens

from ..conftest import SOLVEIG
from ..requests.test_blind_index_rotation import _vault, app_vault
from ..smtp import Inbox
from .conftest import code_in, confirm, start

pytestmark = pytest.mark.anyio

__all__ = ["app_vault"]


async def _started(client: httpx.AsyncClient, auth: Tokens) -> tuple[dict[str, str], str]:
    """Solveig's proof of her address, started under the key in use: her headers, its id."""
    headers = auth.client(SOLVEIG["national_id"], sub="bankid-sub-1")
    started = await start(client, headers, SOLVEIG["email"])
    assert started.status_code == 202, started.text
    return headers, str(started.json()["id"])


async def test_a_proof_started_before_the_rotation_is_confirmed_after_the_reindex(
    client: httpx.AsyncClient,
    auth: Tokens,
    mailbox: Inbox,
    db_session: Session,
    app_vault: FastAPI,
) -> None:
    headers, proof_id = await _started(client, auth)
    code = code_in(mailbox)

    app_vault.state.vault = _vault(app_vault, old=False)
    not_yet = await confirm(client, headers, proof_id, code)
    assert not_yet.status_code == 404  # under the old key only: not found without it

    during = _vault(app_vault, old=True)
    app_vault.state.vault = during
    table = next(t for t in TABLES if t.name == "email_proof")
    sessions = lambda: nullcontext(db_session)  # noqa: E731
    done = reindex_table(sessions, during, table)
    assert (done.rewritten, done.unreadable) == (1, 0)
    assert remaining(sessions, during, table) == 0
    [proof] = db_session.exec(select(EmailProof).execution_options(populate_existing=True))
    assert proof.subject_bidx.startswith("2027:")
    assert proof.code_hash.startswith("2027:")

    after = _vault(app_vault, old=False)
    app_vault.state.vault = after
    # The rate limit counts the proof under the new key alone.
    subject = after.blind_indexes("national_id", SOLVEIG["national_id"])
    assert len(subject) == 1
    started_since = proof_repository.started_since(
        session=db_session, subject_bidxs=subject, since=proof.created_at
    )
    assert started_since == [proof.created_at]
    confirmed = await confirm(client, headers, proof_id, code)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["email"] == SOLVEIG["email"]


async def test_a_proof_without_its_sealed_values_is_left_as_it_was(
    client: httpx.AsyncClient, auth: Tokens, mailbox: Inbox, db_session: Session, vern_app: FastAPI
) -> None:
    """A proof started before the national id and code were kept sealed cannot be re-indexed:
    it is counted as unreadable and keeps its hashes (it is used or gone within the hour)."""
    await _started(client, auth)
    [proof] = db_session.exec(select(EmailProof))
    before = (proof.subject_bidx, proof.code_hash)
    proof.national_id_ct = proof.code_ct = None
    db_session.add(proof)
    db_session.flush()

    during = _vault(vern_app, old=True)  # the app keeps its vault: only the re-index uses it
    table = next(t for t in TABLES if t.name == "email_proof")
    done = reindex_table(lambda: nullcontext(db_session), during, table)
    assert (done.rewritten, done.unreadable) == (0, 1)
    db_session.refresh(proof)
    assert (proof.subject_bidx, proof.code_hash) == before

"""A completed erasure leaves only dates, outcome and keyed hashes: the readable identifiers of
the erasure and of the person's earlier closed requests are shredded with their keys."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session

from vern.dsar.requests.models import DataRequest
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers
from .conftest import STAFF_BODY, file_request, finish_tasks, move

pytestmark = pytest.mark.anyio

IDENTIFIER_COLUMNS = ("name_ct", "national_id_ct", "email_ct", "corrections_ct", "package_ct")


async def approve_erasure(client: httpx.AsyncClient, auth: Tokens) -> dict[str, Any]:
    """Solveig's erasure, handled by manager-1 and approved by dpo-1."""
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    handler, second = auth.staff("manager", sub="manager-1"), auth.staff("dpo", sub="dpo-1")
    for headers, status in [
        (handler, "in_progress"),
        (handler, "awaiting_approval"),
        (second, "approved"),
    ]:
        response = await move(client, str(created["id"]), headers, status)
        assert response.status_code == 200, response.text
    approved: dict[str, Any] = response.json()
    return approved


async def erase_solveig(client: httpx.AsyncClient, auth: Tokens) -> dict[str, object]:
    approved = await approve_erasure(client, auth)
    handler = auth.staff("manager", sub="manager-1")
    vendor = auth.machine("journal", client_id="journal-vendor")
    done: dict[str, object] = await finish_tasks(client, str(approved["id"]), handler, vendor)
    assert done["status"] == "completed"
    return done


def row(db_session: Session, request_id: object) -> DataRequest:
    db_session.expire_all()
    found = db_session.get(DataRequest, uuid.UUID(str(request_id)))
    assert found is not None
    return found


async def test_a_completed_erasure_keeps_dates_outcome_and_keyed_hashes_only(
    client: httpx.AsyncClient,
    auth: Tokens,
    tryggere: OrgProfile,
    db_session: Session,
    vern_app: FastAPI,
) -> None:
    done = await erase_solveig(client, auth)
    assert done["identifiers_shredded"] is True
    assert done["subject"] == {"name": None, "national_id": None, "email": None}
    stored = row(db_session, done["id"])
    assert all(getattr(stored, column) is None for column in IDENTIFIER_COLUMNS)
    assert stored.national_id_bidx is not None
    assert stored.email_bidx is not None
    assert stored.status == "completed"
    assert stored.received_at is not None
    assert stored.due_date == stored.first_due_date
    assert stored.completed_at is not None
    dump = repr(db_session.execute(text("SELECT * FROM data_request")).all())
    for plaintext in (*SOLVEIG.values(), STAFF_BODY["name"]):
        assert plaintext not in dump
    vault: Vault = vern_app.state.vault
    with pytest.raises(SubjectKeyMissing):
        vault.encrypt(str(done["id"]), "anything", context="data_request.name")


async def test_a_copy_taken_before_the_erasure_cannot_be_read_afterwards(
    client: httpx.AsyncClient,
    auth: Tokens,
    tryggere: OrgProfile,
    db_session: Session,
    vern_app: FastAPI,
) -> None:
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    backup = row(db_session, created["id"]).national_id_ct  # as a database backup would hold it
    assert backup is not None
    handler, second = auth.staff("manager", sub="manager-1"), auth.staff("dpo", sub="dpo-1")
    for headers, status in [
        (handler, "in_progress"),
        (handler, "awaiting_approval"),
        (second, "approved"),
    ]:
        await move(client, created["id"], headers, status)
    await finish_tasks(client, created["id"], handler)
    vault: Vault = vern_app.state.vault
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(created["id"], backup, context="data_request.national_id")


async def test_the_persons_earlier_closed_requests_are_shredded_too_and_others_kept(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    services.registry.hold(str(uuid.uuid4()), **SOLVEIG)
    earlier = await file_request(client, auth.staff("manager"), type="access", **STAFF_BODY)
    earlier = await finish_tasks(client, earlier["id"], auth.staff("manager"))
    assert earlier["status"] == "completed"
    by_email_only = await file_request(
        client,
        auth.staff("manager"),
        type="objection",
        email=SOLVEIG["email"],
        identity_check="known_from_earlier_contact",
    )
    await move(client, by_email_only["id"], auth.staff("dpo"), "withdrawn")
    someone_else = await file_request(
        client,
        auth.staff("manager"),
        type="access",
        national_id=OTHER_NATIONAL_ID,
        identity_check="id_document",
    )
    await erase_solveig(client, auth)
    for shredded in (earlier, by_email_only):
        stored = row(db_session, shredded["id"])
        assert all(getattr(stored, column) is None for column in IDENTIFIER_COLUMNS)
        assert stored.identifiers_shredded_at is not None
    kept = row(db_session, someone_else["id"])
    assert kept.national_id_ct is not None
    assert kept.identifiers_shredded_at is None
    package = await client.get(f"/dsar/requests/{earlier['id']}/package", headers=auth.staff("dpo"))
    assert package.status_code == 404


async def test_an_open_request_of_the_same_person_keeps_its_identifiers_to_be_handled(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, db_session: Session
) -> None:
    open_objection = await file_request(
        client, auth.staff("manager"), type="objection", **STAFF_BODY
    )
    await erase_solveig(client, auth)
    stored = row(db_session, open_objection["id"])
    assert stored.national_id_ct is not None


async def test_a_rejected_or_withdrawn_erasure_shreds_nothing(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, db_session: Session
) -> None:
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    await move(client, created["id"], auth.staff("dpo"), "rejected", rejection_reason="excessive")
    stored = row(db_session, created["id"])
    assert stored.national_id_ct is not None
    assert stored.identifiers_shredded_at is None


async def test_the_client_still_finds_their_erased_request_by_its_keyed_hash(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    done = await erase_solveig(client, auth)
    own = auth.client(SOLVEIG["national_id"])
    listed = await client.get("/dsar/requests", headers=own)
    assert [r["id"] for r in listed.json()["items"]] == [done["id"]]
    read = await client.get(f"/dsar/requests/{done['id']}", headers=own)
    assert read.json()["status"] == "completed"


async def test_staff_notes_go_with_the_identifiers_and_the_request_says_they_were_removed(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, db_session: Session
) -> None:
    """A note is free text that may name the person (staff are asked not to, but it is not
    checked), so it is not part of the evidence an erasure leaves: it goes with the key. Who
    marked each outside system done and when stay, and the request says a note was removed,
    rather than showing a task done without one; what had to be kept, and under which law,
    stays in the signed receipt."""
    done = await erase_solveig(client, auth)
    manual = [task for task in done["tasks"] if task["kind"] == "manual"]  # type: ignore[union-attr]
    assert manual
    for task in manual:
        assert (task["note"], task["note_removed"]) == (None, True)
        assert (task["done_by"], task["status"]) == ("manager-1", "done")
        assert task["done_at"] is not None
    automatic = [task for task in done["tasks"] if task["kind"] != "manual"]  # type: ignore[union-attr]
    assert not any(task["note_removed"] for task in automatic)
    dump = repr(db_session.execute(text("SELECT note_ct FROM request_task")).all())
    assert "Søkt" not in dump
    assert done["receipt_available"] is True


async def test_a_note_is_shown_until_the_erasure_is_done(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile
) -> None:
    approved = await approve_erasure(client, auth)
    manual = next(t for t in approved["tasks"] if t["kind"] == "manual")
    marked = await client.post(
        f"/dsar/requests/{approved['id']}/tasks/{manual['id']}/done",
        json={"note": "Søkt i arkivet; ingenting funnet."},
        headers=auth.staff("manager", sub="manager-1"),
    )
    assert marked.status_code == 200, marked.text
    shown = next(t for t in marked.json()["tasks"] if t["id"] == manual["id"])
    assert (shown["note"], shown["note_removed"]) == ("Søkt i arkivet; ingenting funnet.", False)

"""The registry's side of the internal subject contract, as dsar and the scheduler call it."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.kit.crypto import SubjectKeyMissing
from vern.kit.testing.tokens import Tokens
from vern.registry.persons.models import Person

from ..persons.conftest import CLIENT, FNR, UseProfile, register
from ..persons.conftest import use_profile as use_profile  # the fixture

pytestmark = pytest.mark.anyio


async def test_search_finds_a_client_by_national_id_email_or_phone(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("every_field")  # the reference centres do not collect the national id
    person = await register(client, auth, national_id=FNR)
    for identifiers in (
        {"national_id": FNR},
        {"email": "SIGRID.FJELL@example.org"},
        {"phone": "+47 91234567"},
    ):
        found = await client.post(
            "/registry/internal/subjects/search",
            json={"identifiers": identifiers},
            headers=auth.machine(),
        )
        assert found.status_code == 200, found.text
        assert [s["subject_id"] for s in found.json()["subjects"]] == [person["id"]], identifiers


async def test_export_holds_the_record_and_who_read_it(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    body = {"request_id": "req-1", "subject_ids": [person["id"]]}
    exported = (
        await client.post("/registry/internal/subjects/export", json=body, headers=auth.machine())
    ).json()
    subject = exported["subjects"][0]
    assert subject["categories"][0]["data"]["full_name"] == CLIENT["full_name"]
    assert "person.create" in [entry["action"] for entry in subject["access_log"]]


async def test_erase_deletes_the_row_destroys_the_key_and_repeats_its_receipt(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI, db_session: Session
) -> None:
    person = await register(client, auth)
    sealed = db_session.exec(
        select(Person.full_name_ct).where(Person.id == uuid.UUID(person["id"]))
    ).one()
    vault = vern_app.state.vault
    assert vault.decrypt(person["id"], sealed, context="person.full_name") == CLIENT["full_name"]
    body = {"request_id": "erase-1", "subject_ids": [person["id"]]}
    first = await client.post(
        "/registry/internal/subjects/erase", json=body, headers=auth.machine()
    )
    again = await client.post(
        "/registry/internal/subjects/erase", json=body, headers=auth.machine()
    )
    # Repeated after its answer was lost, when a search finds nothing left: the same receipt.
    lost = await client.post(
        "/registry/internal/subjects/erase",
        json={"request_id": "erase-1", "subject_ids": []},
        headers=auth.machine(),
    )
    assert first.json() == again.json() == lost.json()
    assert first.json()["erased"] == [{"subject_id": person["id"], "categories": ["client_record"]}]
    read = await client.get(f"/registry/persons/{person['id']}", headers=auth.staff("manager"))
    assert read.status_code == 404
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(person["id"], sealed, context="person.full_name")


async def test_a_dry_run_sweep_counts_and_deletes_nothing(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    await register(client, auth)
    swept = await client.post(
        "/registry/internal/retention/sweep", json={"dry_run": True}, headers=auth.machine()
    )
    assert swept.status_code == 200
    # Registered today: due in 3 years. Every rule Nok. Bergen gives the registry is counted.
    assert swept.json()["counts"] == {
        "contact_register": 0,
        "waitlist_entry": 0,
        "activity_participants": 0,
        "anonymous_statistics": 0,
    }


@pytest.mark.parametrize("who", ["staff", "machine without the scope"])
async def test_only_machines_with_the_internal_scope_may_call(
    client: httpx.AsyncClient, auth: Tokens, who: str
) -> None:
    headers = auth.staff("manager") if who == "staff" else auth.machine("registry")
    response = await client.post(
        "/registry/internal/subjects/search", json={"identifiers": {}}, headers=headers
    )
    assert response.status_code == 403

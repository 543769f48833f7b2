"""The waiting list's rules: the 30-day deletion clock, promotion to client, crypto-shredding."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from vern.kit.auth import Principal
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.orgprofile import ClientField, OrgProfile
from vern.kit.testing.tokens import Tokens
from vern.registry.waitlist import repository as waitlist_repository
from vern.registry.waitlist import service as waitlist_service
from vern.registry.waitlist.models import WaitlistEntry
from vern.registry.waitlist.schemas import WaitlistEntryCreate

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from .conftest import APPLICANT, put_on_waitlist

COORDINATOR = Principal(
    subject="coord", kind="staff", issuer="t", roles=frozenset({"coordinator"}), second_factor=True
)


def _entry(session: Session, vault: Vault) -> WaitlistEntry:
    return waitlist_service.create(
        session=session,
        vault=vault,
        principal=COORDINATOR,
        data=WaitlistEntryCreate.model_validate(APPLICANT),
    )


@pytest.mark.parametrize(
    ("assigned_at", "due"),
    [
        # 23:30 UTC on 28 March is 00:30 on 29 March in Oslo, the night clocks go forward.
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 4, 28)),
        (datetime(2026, 3, 28, 22, 59, tzinfo=UTC), date(2026, 4, 27)),
        # The night clocks go back: 23:30 UTC on 24 October is already 25 October in Oslo.
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 11, 24)),
        # Across a leap day: 30 calendar days, not "one month".
        (datetime(2028, 2, 10, 12, 0, tzinfo=UTC), date(2028, 3, 11)),
        # Around the new year in Oslo.
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 31)),
    ],
)
def test_waitlist_entry_is_deleted_30_days_after_assignment_in_oslo_dates(
    db_session: Session, vern_app: FastAPI, assigned_at: datetime, due: date
) -> None:
    vault: Vault = vern_app.state.vault
    entry = _entry(db_session, vault)
    waitlist_service.assign_counsellor(
        session=db_session,
        principal=COORDINATOR,
        profile=vern_app.state.profile,
        entry=entry,
        counsellor_id=COUNSELLOR,
        at=assigned_at,
    )
    assert entry.retention_due_date == due
    assert waitlist_repository.due_for_deletion(session=db_session, on=due, limit=10) == [entry]
    before = date.fromordinal(due.toordinal() - 1)
    assert waitlist_repository.due_for_deletion(session=db_session, on=before, limit=10) == []


def test_handing_an_entry_to_another_counsellor_does_not_restart_the_clock(
    db_session: Session, vern_app: FastAPI
) -> None:
    vault: Vault = vern_app.state.vault
    entry = _entry(db_session, vault)
    for counsellor, day in ((COUNSELLOR, 1), (OTHER_COUNSELLOR, 20)):
        waitlist_service.assign_counsellor(
            session=db_session,
            principal=COORDINATOR,
            profile=vern_app.state.profile,
            entry=entry,
            counsellor_id=counsellor,
            at=datetime(2026, 5, day, 10, tzinfo=UTC),
        )
    assert entry.assigned_counsellor_id == OTHER_COUNSELLOR
    assert entry.retention_due_date == date(2026, 5, 31)


def test_an_entry_without_a_counsellor_is_never_due(db_session: Session, vern_app: FastAPI) -> None:
    _entry(db_session, vern_app.state.vault)
    assert (
        waitlist_repository.due_for_deletion(session=db_session, on=date(2999, 1, 1), limit=10)
        == []
    )


def test_due_for_deletion_returns_at_most_limit_entries_oldest_first(
    db_session: Session, vern_app: FastAPI
) -> None:
    entries = [_entry(db_session, vern_app.state.vault) for _ in range(3)]
    for day, entry in zip((3, 1, 2), entries, strict=True):
        waitlist_service.assign_counsellor(
            session=db_session,
            principal=COORDINATOR,
            profile=vern_app.state.profile,
            entry=entry,
            counsellor_id=COUNSELLOR,
            at=datetime(2026, 5, day, 10, tzinfo=UTC),
        )
    due = waitlist_repository.due_for_deletion(session=db_session, on=date(2026, 7, 1), limit=2)
    assert due == [entries[1], entries[2]]


@pytest.mark.anyio
async def test_promotion_copies_only_the_fields_the_applicant_agreed_to(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI
) -> None:
    entry = await put_on_waitlist(client, auth)
    await client.post(
        f"/registry/waitlist/{entry['id']}/counsellor",
        json={"counsellor_id": COUNSELLOR},
        headers=auth.staff("coordinator"),
    )
    response = await client.post(
        f"/registry/waitlist/{entry['id']}/promotion",
        json={"agreed_fields": ["full_name", "phone", "gender"]},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["copied_fields"] == ["full_name", "phone", "gender"]
    person = await client.get(
        f"/registry/persons/{result['person_id']}", headers=auth.staff("coordinator")
    )
    record = person.json()
    assert record["full_name"] == APPLICANT["full_name"]
    assert record["phone"] == "+4791345678"
    assert record["gender"] == "female"
    assert record.get("email") is None
    assert record.get("birth_date") is None
    assert record["assigned_counsellor_id"] == COUNSELLOR


@pytest.mark.anyio
async def test_promotion_copies_no_field_the_centres_client_record_does_not_keep(
    client: httpx.AsyncClient,
    auth: Tokens,
    profile_change: Callable[..., OrgProfile],
) -> None:
    entry = await put_on_waitlist(client, auth)
    profile_change(
        client_record={"client_fields": (ClientField.name, ClientField.email, ClientField.phone)}
    )
    response = await client.post(
        f"/registry/waitlist/{entry['id']}/promotion",
        json={"agreed_fields": ["full_name", "email", "birth_date", "gender"]},
        headers=auth.staff("manager"),
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["copied_fields"] == ["full_name", "email"]
    assert result["not_copied_fields"] == ["birth_date", "gender"]
    record = (
        await client.get(f"/registry/persons/{result['person_id']}", headers=auth.staff("manager"))
    ).json()
    assert record.get("birth_date") is None
    assert record.get("gender") is None


@pytest.mark.anyio
async def test_promotion_deletes_the_entry_and_shreds_its_key(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI, db_session: Session
) -> None:
    entry = await put_on_waitlist(client, auth)
    row = db_session.get(WaitlistEntry, uuid.UUID(entry["id"]))
    assert row is not None
    sealed_name = row.full_name_ct
    response = await client.post(
        f"/registry/waitlist/{entry['id']}/promotion",
        json={"agreed_fields": ["full_name", "email"]},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 201
    gone = await client.get(f"/registry/waitlist/{entry['id']}", headers=auth.staff("manager"))
    assert gone.status_code == 404
    vault: Vault = vern_app.state.vault
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(entry["id"], sealed_name, context="waitlist_entry.full_name")


@pytest.mark.anyio
@pytest.mark.parametrize("agreed", [["gender"], ["full_name"], []])
async def test_promotion_without_enough_agreed_fields_is_a_422_and_keeps_the_entry(
    client: httpx.AsyncClient, auth: Tokens, agreed: list[str]
) -> None:
    entry = await put_on_waitlist(client, auth)
    response = await client.post(
        f"/registry/waitlist/{entry['id']}/promotion",
        json={"agreed_fields": agreed},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["agreed_fields"]
    assert APPLICANT["full_name"] not in response.text
    still = await client.get(f"/registry/waitlist/{entry['id']}", headers=auth.staff("manager"))
    assert still.status_code == 200


@pytest.mark.anyio
async def test_removing_an_entry_shreds_its_key(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI, db_session: Session
) -> None:
    entry = await put_on_waitlist(client, auth)
    row = db_session.get(WaitlistEntry, uuid.UUID(entry["id"]))
    assert row is not None
    sealed_email = row.email_ct
    await client.delete(f"/registry/waitlist/{entry['id']}", headers=auth.staff("coordinator"))
    vault: Vault = vern_app.state.vault
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(entry["id"], sealed_email, context="waitlist_entry.email")

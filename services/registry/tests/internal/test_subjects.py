"""The subject contract over every category the registry holds: the client record, the partner,
contact events, waiting-list entries and activity registrations found by the same address."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.kit.audit import AuditEvent
from vern.kit.clock import now_utc, today_oslo
from vern.kit.crypto import Vault
from vern.kit.testing.tokens import Tokens
from vern.registry.activities.models import Activity, ActivityKind, ActivityRegistration
from vern.registry.persons.models import Person
from vern.registry.waitlist.models import WaitlistEntry

from ..conftest import COUNSELLOR
from ..persons.conftest import CLIENT, register, use_profile  # noqa: F401 - a fixture
from ..sweeps.factory import keys_left

pytestmark = pytest.mark.anyio

EMAIL = CLIENT["email"]
PARTNER = {"name": "Partner Parsen", "phone": "987 65 432"}


def waitlist_entry(session: Session, vault: Vault, email: str) -> str:
    entry_id = uuid.uuid4()
    vault.create_subject_key(str(entry_id))
    session.add(
        WaitlistEntry(
            id=entry_id, created_at=now_utc(), received_date=today_oslo(),
            full_name_ct=vault.encrypt(str(entry_id), "Sigrid Fjell", context="waitlist_entry.full_name"),
            email_bidx=vault.blind_index("email", email.lower()),
        )
    )  # fmt: skip
    session.flush()
    return str(entry_id)


def registration(session: Session, vault: Vault, email: str, due: date | None = None) -> str:
    activity = Activity(
        created_at=now_utc(), name="Kurs i sinnemestring", kind=ActivityKind.course,
        starts_at=datetime(2026, 12, 1, 17, tzinfo=UTC), ends_at=datetime(2026, 12, 1, 19, tzinfo=UTC),
        counsellor_id=COUNSELLOR,
    )  # fmt: skip
    session.add(activity)
    session.flush()
    reg_id = uuid.uuid4()
    vault.create_subject_key(str(reg_id))
    session.add(
        ActivityRegistration(
            id=reg_id, activity_id=activity.id, created_at=now_utc(),
            full_name_ct=vault.encrypt(str(reg_id), "Sigrid Fjell", context="activity_registration.full_name"),
            email_ct=vault.encrypt(str(reg_id), email, context="activity_registration.email"),
            email_bidx=vault.blind_index("email", email.lower()),
            retention_due_date=due or date(2026, 12, 1),
        )
    )  # fmt: skip
    session.flush()
    return str(reg_id)


async def everything_about_sigrid(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault
) -> dict[str, str]:
    person = await register(client, auth, partner=PARTNER)
    contact = await client.post(
        f"/registry/persons/{person['id']}/contacts",
        json={"kind": "phone", "occurred_at": (now_utc() - timedelta(hours=1)).isoformat()},
        headers=auth.staff("coordinator"),
    )
    assert contact.status_code == 201, contact.text
    return {
        "person": person["id"],
        "waitlist_entry": waitlist_entry(db_session, vault, EMAIL),
        "activity_registration": registration(db_session, vault, EMAIL),
    }


async def search(client: httpx.AsyncClient, auth: Tokens, **identifiers: Any) -> set[str]:
    found = await client.post(
        "/registry/internal/subjects/search",
        json={"identifiers": identifiers},
        headers=auth.machine(),
    )
    assert found.status_code == 200, found.text
    return {s["subject_id"] for s in found.json()["subjects"]}


@pytest.fixture
def tryggere_with_partners(use_profile: Any) -> None:  # noqa: F811 - the imported fixture
    profile = use_profile("every_field")
    assert profile.client_record.partner_contact


@pytest.mark.usefixtures("tryggere_with_partners")
async def test_a_search_by_email_finds_the_record_the_waiting_list_and_the_course_list(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: FastAPI
) -> None:
    ids = await everything_about_sigrid(client, auth, db_session, vern_app.state.vault)
    assert await search(client, auth, email="SIGRID.FJELL@example.org") == set(ids.values())
    assert await search(client, auth, email="someone.else@example.org") == set()


@pytest.mark.usefixtures("tryggere_with_partners")
async def test_an_export_holds_every_category_with_the_profiles_purpose_and_who_read_it(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: FastAPI
) -> None:
    ids = await everything_about_sigrid(client, auth, db_session, vern_app.state.vault)
    body = {"request_id": "access-1", "subject_ids": list(ids.values())}
    exported = await client.post(
        "/registry/internal/subjects/export", json=body, headers=auth.machine()
    )
    assert exported.status_code == 200, exported.text
    subjects = {s["subject_id"]: s for s in exported.json()["subjects"]}
    record = {c["category"]: c for c in subjects[ids["person"]]["categories"]}
    assert set(record) == {"client_record", "related_persons", "contact_events"}
    assert record["client_record"]["data"]["full_name"] == CLIENT["full_name"]
    assert record["related_persons"]["data"]["partner"]["name"] == PARTNER["name"]
    assert [c["kind"] for c in record["contact_events"]["data"]["contacts"]] == ["phone"]
    profile = vern_app.state.profile
    register_activity = profile.processing_activities["contact_register"]
    assert record["client_record"]["purpose"] == register_activity.purpose_nb
    assert record["client_record"]["source"] == register_activity.source_nb
    assert "artikkel 9 nr. 2 bokstav a" in record["client_record"]["legal_basis"]
    assert record["client_record"]["recipients"] == [
        "Google (databehandler): Drift av databasene kontaktregisteret ligger i"
    ]
    assert record["client_record"]["retention_due_date"] is not None
    assert record["client_record"]["activity"] == register_activity.name_nb
    assert record["client_record"]["retention"].startswith("slettes ")
    assert record["client_record"]["recipient_details"] == [
        {
            "name": r.name,
            "role": r.role.value,
            "task": r.task_nb,
            "location": r.location,
        }
        for r in register_activity.recipients
    ]
    waiting = subjects[ids["waitlist_entry"]]["categories"]
    assert [c["category"] for c in waiting] == ["waitlist_entry"]
    assert waiting[0]["purpose"] == profile.processing_activities["waitlist"].purpose_nb
    course = subjects[ids["activity_registration"]]["categories"]
    assert [c["category"] for c in course] == ["activity_registration"]
    assert course[0]["data"]["activity"] == "Kurs i sinnemestring"
    actions = [e["action"] for e in subjects[ids["person"]]["access_log"]]
    assert "person.create" in actions


@pytest.mark.usefixtures("tryggere_with_partners")
async def test_an_erasure_deletes_every_category_says_what_it_kept_and_repeats_its_receipt(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: FastAPI
) -> None:
    ids = await everything_about_sigrid(client, auth, db_session, vern_app.state.vault)
    body = {"request_id": "erase-all-1", "subject_ids": list(ids.values())}
    first = await client.post(
        "/registry/internal/subjects/erase", json=body, headers=auth.machine()
    )
    again = await client.post(
        "/registry/internal/subjects/erase", json=body, headers=auth.machine()
    )
    assert first.status_code == 200, first.text
    assert first.json() == again.json()
    erased = {e["subject_id"]: set(e["categories"]) for e in first.json()["erased"]}
    assert erased == {
        ids["person"]: {"client_record", "related_persons", "contact_events"},
        ids["waitlist_entry"]: {"waitlist_entry"},
        ids["activity_registration"]: {"activity_registration"},
    }
    kept = {k["category"]: k for k in first.json()["kept"]}
    assert set(kept) == {"audit_log", "anonymous_statistics"}
    assert "ingen personopplysninger" in kept["anonymous_statistics"]["reason"]
    assert await search(client, auth, email=EMAIL) == set()
    assert keys_left(vern_app.state.keystore, list(ids.values())) == set()
    assert db_session.get(Person, uuid.UUID(ids["person"])) is None
    erase_events = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "subject.erase")
    ).all()
    assert {e.subject_id for e in erase_events} >= set(ids.values())
    assert "Sigrid" not in first.text


async def test_the_preview_lists_rule_id_and_date_of_every_table_and_no_names(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: FastAPI
) -> None:
    vault = vern_app.state.vault
    soon = today_oslo() + timedelta(days=10)
    course = registration(db_session, vault, "kari@example.org", due=soon)
    later = registration(db_session, vault, "ola@example.org", due=soon + timedelta(days=400))
    preview = await client.get(
        "/registry/internal/retention/preview",
        params={"until": (soon + timedelta(days=1)).isoformat()},
        headers=auth.machine(),
    )
    assert preview.status_code == 200, preview.text
    items = [(i["rule"], i["subject_id"], i["due_date"]) for i in preview.json()["items"]]
    assert ("activity_participants", course, soon.isoformat()) in items
    assert later not in {i[1] for i in items}
    assert "Sigrid" not in preview.text
    assert "kari" not in preview.text


async def test_a_sweep_over_the_api_deletes_what_is_due_today_and_keeps_tomorrows(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: FastAPI
) -> None:
    vault = vern_app.state.vault
    due = registration(db_session, vault, "kari@example.org", due=today_oslo())
    tomorrow = registration(
        db_session, vault, "ola@example.org", due=today_oslo() + timedelta(days=1)
    )
    swept = await client.post(
        "/registry/internal/retention/sweep",
        json={"dry_run": False, "batch_size": 10},
        headers=auth.machine(),
    )
    assert swept.status_code == 200, swept.text
    assert swept.json()["counts"]["activity_participants"] >= 1
    assert db_session.get(ActivityRegistration, uuid.UUID(due)) is None
    assert db_session.get(ActivityRegistration, uuid.UUID(tomorrow)) is not None
    assert keys_left(vern_app.state.keystore, [due, tomorrow]) == {tomorrow}

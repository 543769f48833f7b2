"""A restore after an erasure: the data and key-store backups taken before it are restored, the
shred journal replayed; the erased client's rows are gone from the restored database (not only
unreadable), each with the erasure's audit event, the kept client reads as before, the audit chain
verifies, and a second replay changes nothing. On SQLite and on PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select

from vern.kit import keyadmin
from vern.kit.audit import AuditEvent, verify_chain
from vern.kit.db import make_engine
from vern.kit.settings import ServiceSettings
from vern.kit.testing.backups import Backups, fresh_service, replay_shreds, service_on
from vern.kit.testing.plugin import Databases, ServiceSpec
from vern.kit.testing.tokens import Tokens
from vern.registry.counsellors.models import Counsellor
from vern.registry.internal.service import purge_erased
from vern.registry.persons.models import Person

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from ..persons.conftest import CLIENT, register

pytestmark = pytest.mark.anyio


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _people(app: FastAPI) -> set[str]:
    with Session(app.state.engine) as session:
        return {str(i) for i in session.exec(select(Person.id)).all()}


def _erasures(app: FastAPI) -> list[tuple[str | None, str | None, str | None]]:
    with Session(app.state.engine) as session:
        assert verify_chain(session).ok
        events = session.exec(
            select(AuditEvent.subject_type, AuditEvent.subject_id, AuditEvent.reason)
            .where(AuditEvent.action == "subject.erase")
            .order_by(col(AuditEvent.id))
        ).all()
        return [(kind, subject, reason) for kind, subject, reason in events]


async def test_a_restore_replayed_deletes_the_erased_clients_rows_and_keeps_the_chain(
    vern_service: ServiceSpec,
    vern_settings: ServiceSettings,
    vern_app: FastAPI,
    vern_databases: Databases,
    auth: Tokens,
    tmp_path: Path,
) -> None:
    backups = Backups(vern_databases, tmp_path)
    live = fresh_service(vern_service, vern_settings, vern_app.state.verifier, backups)
    live.state.settings.deliver_after_commit = False
    with Session(live.state.engine) as session:
        session.add(Counsellor(id=COUNSELLOR, display_name="Veileder En"))
        session.add(Counsellor(id=OTHER_COUNSELLOR, display_name="Veileder To"))
        session.commit()
    async with _client(live) as http:
        erased = (await register(http, auth))["id"]
        kept = (await register(http, auth, full_name="Ola Nordmann"))["id"]
        data_dump = backups.dump(live.state.settings.database_url, "data")
        keys_dump = backups.dump(live.state.settings.keystore_url, "keys")
        answer = await http.post(
            "/registry/internal/subjects/erase",
            json={"request_id": "erase-after-backup", "subject_ids": [erased]},
            headers=auth.machine(),
        )
        assert answer.status_code == 200, answer.text
    journal = tmp_path / "shreds.jsonl"
    assert keyadmin.export_journal(live.state.vault, journal) == 1

    restored = service_on(
        vern_service, vern_settings, vern_app.state.verifier,
        database_url=backups.restore(data_dump, "data_restored"),
        keystore_url=backups.restore(keys_dump, "keys_restored"),
    )  # fmt: skip
    assert _people(restored) == {erased, kept}  # both came back with the dumps
    entries = keyadmin.read_journal(journal)

    printed = replay_shreds(restored.state.settings, "registry", journal)

    assert "1 erasures replayed, 1 restored keys destroyed" in printed
    assert (
        "1 restored rows of erased subjects deleted "
        '{"activity_registration": 0, "person": 1, "waitlist_entry": 0}'
    ) in printed
    assert _people(restored) == {kept}  # gone, not only unreadable
    assert _erasures(restored) == [("person", erased, keyadmin.RESTORE_REASON)]
    async with _client(restored) as http:
        read = await http.get(f"/registry/persons/{kept}", headers=auth.staff("manager"))
        assert read.status_code == 200
        assert read.json()["full_name"] == "Ola Nordmann"
        gone = await http.get(f"/registry/persons/{erased}", headers=auth.staff("manager"))
        assert gone.status_code == 404

    again = keyadmin.purge(
        make_engine(restored.state.settings.database_url), restored.state.vault,
        [e.subject_id for e in entries], purge_erased,
    )  # fmt: skip

    assert sum(again.values()) == 0
    assert _erasures(restored) == [("person", erased, keyadmin.RESTORE_REASON)]
    assert _erasures(live) == [("person", erased, "request erase-after-backup")]
    assert CLIENT["full_name"] not in journal.read_text(encoding="utf-8")


async def test_a_purge_ignores_ids_that_are_not_the_registrys(
    vern_app: FastAPI, db_session: Session
) -> None:
    deleted = purge_erased(db_session, vern_app.state.vault, ["journal:abc", str(uuid.uuid4())])
    assert deleted == {"person": 0, "waitlist_entry": 0, "activity_registration": 0}

"""A restore after an erasure: the dsar backups taken before the erasure's identifiers were
shredded are restored and the shred journal replayed; the restored request loses what came back
under the destroyed key (identifiers, as the erasure leaves it: dates, outcome and keyed hashes
stay as evidence), with one audit event, the other request stays readable, the audit chain
verifies, and a second replay changes nothing. On SQLite and on PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select

from vern.dsar.requests import service as request_service
from vern.dsar.requests.models import DataRequest
from vern.kit import keyadmin
from vern.kit.audit import AuditEvent, verify_chain
from vern.kit.db import make_engine
from vern.kit.settings import ServiceSettings
from vern.kit.testing.backups import Backups, fresh_service, replay_shreds, service_on
from vern.kit.testing.plugin import Databases, ServiceSpec
from vern.kit.testing.tokens import Tokens

from .conftest import STAFF_BODY, file_request
from .test_erasure_shred import IDENTIFIER_COLUMNS

pytestmark = pytest.mark.anyio


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _stored(app: FastAPI, request_id: str) -> DataRequest:
    with Session(app.state.engine) as session:
        found = session.get(DataRequest, uuid.UUID(request_id))
        assert found is not None
        return found


def _shreds(app: FastAPI) -> list[tuple[str | None, str | None]]:
    with Session(app.state.engine) as session:
        assert verify_chain(session).ok
        events = session.exec(
            select(AuditEvent.subject_id, AuditEvent.reason)
            .where(AuditEvent.action == "data_request.identifiers_shredded")
            .order_by(col(AuditEvent.id))
        ).all()
        return [(subject, reason) for subject, reason in events]


async def test_a_restore_replayed_strips_the_erased_requests_identifiers_and_keeps_the_chain(
    vern_service: ServiceSpec,
    vern_settings: ServiceSettings,
    vern_app: FastAPI,
    vern_databases: Databases,
    auth: Tokens,
    tmp_path: Path,
) -> None:
    backups = Backups(vern_databases, tmp_path)
    live = fresh_service(vern_service, vern_settings, vern_app.state.verifier, backups)
    staff = auth.staff("counsellor")
    async with _client(live) as http:
        erased = str((await file_request(http, staff, type="erasure", **STAFF_BODY))["id"])
        other = str((await file_request(http, staff, type="access", **STAFF_BODY))["id"])
    data_dump = backups.dump(live.state.settings.database_url, "data")
    keys_dump = backups.dump(live.state.settings.keystore_url, "keys")
    with Session(live.state.engine) as session:
        # What completing the erasure does to its identifiers (the whole erasure is in
        # test_erasure_shred.py); the access request is still open, so it keeps its own.
        data_request = session.get(DataRequest, uuid.UUID(erased))
        assert data_request is not None
        request_service._shred_identifiers(session, live.state.vault, data_request)
        session.commit()
    journal = tmp_path / "shreds.jsonl"
    assert keyadmin.export_journal(live.state.vault, journal) == 1

    restored = service_on(
        vern_service, vern_settings, vern_app.state.verifier,
        database_url=backups.restore(data_dump, "data_restored"),
        keystore_url=backups.restore(keys_dump, "keys_restored"),
    )  # fmt: skip
    assert _stored(restored, erased).name_ct is not None  # the restore brought it back
    entries = keyadmin.read_journal(journal)
    engine = make_engine(restored.state.settings.database_url)

    printed = replay_shreds(restored.state.settings, "dsar", journal)

    assert "1 erasures replayed, 1 restored keys destroyed" in printed
    assert '1 restored rows of erased subjects deleted {"data_request": 1}' in printed
    stripped = _stored(restored, erased)
    assert all(getattr(stripped, column) is None for column in IDENTIFIER_COLUMNS)
    assert stripped.identifiers_shredded_at is not None
    assert stripped.national_id_bidx is not None  # keyed hashes stay, as after the erasure
    assert _shreds(restored) == [(erased, keyadmin.RESTORE_REASON)]
    manager = auth.staff("manager")
    async with _client(restored) as http:
        read = (await http.get(f"/dsar/requests/{other}", headers=manager)).json()
        assert read["subject"]["national_id"] == STAFF_BODY["national_id"]
        shown = (await http.get(f"/dsar/requests/{erased}", headers=manager)).json()
        assert shown["identifiers_shredded"] is True

    again = keyadmin.purge(
        engine, restored.state.vault, [e.subject_id for e in entries], request_service.purge_erased
    )

    assert again == {"data_request": 0}
    assert _shreds(restored) == [(erased, keyadmin.RESTORE_REASON)]

"""Requests filed before the lifecycle migration keep their due date and who registered them."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from vern.kit.db import make_engine
from vern.kit.migrations import downgrade, upgrade
from vern.kit.testing.plugin import Databases, ServiceSpec

INSERT = text(
    "INSERT INTO data_request (id, type, channel, status, received_at, due_date, handler) "
    "VALUES (:id, :type, :channel, :status, :received_at, :due_date, :handler)"
)


def test_requests_filed_before_keep_their_due_date_and_registrar_through_the_migration(
    vern_service: ServiceSpec, vern_databases: Databases
) -> None:
    url = vern_databases.make(f"lifecycle_{uuid.uuid4().hex[:8]}")
    upgrade(vern_service.migrations, url, "0002")
    engine = make_engine(url)
    staff_id, client_id = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        for request_id, channel, handler in (
            (staff_id, "staff", "manager-1"),
            (client_id, "self_service", None),
        ):
            conn.execute(
                INSERT,
                {
                    "id": request_id if conn.dialect.name == "postgresql" else request_id.hex,
                    "type": "access",
                    "channel": channel,
                    "status": "completed",
                    "received_at": "2026-01-31 10:00:00+00:00",
                    "due_date": "2026-02-28",
                    "handler": handler,
                },
            )
    engine.dispose()
    upgrade(vern_service.migrations, url, "0003")
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT channel, first_due_date, due_date, registered_by FROM data_request "
                "ORDER BY channel"
            )
        ).all()
    engine.dispose()
    assert [(r.channel, str(r.first_due_date), str(r.due_date), r.registered_by) for r in rows] == [
        ("self_service", "2026-02-28", "2026-02-28", None),
        ("staff", "2026-02-28", "2026-02-28", "manager-1"),
    ]
    downgrade(vern_service.migrations, url, "0002")

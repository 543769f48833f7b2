"""A restore after an unsubscribe: the backups taken before it are restored and the shred journal
replayed; the removed subscriber's rows are gone from the restored database (not only unreadable),
with the removal's audit event, the other subscriber stays readable, the audit chain verifies, and
a second replay changes nothing. On SQLite and on PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import FastAPI
from sqlmodel import Session, col, select

from vern.consent.consents.models import Subscriber, SuppressionReason
from vern.consent.subscriptions.models import Subscription
from vern.consent.subscriptions.removal import (
    actor_principal,
    delete_subscriber,
    email_of,
    purge_erased,
)
from vern.kit import keyadmin
from vern.kit.audit import AuditEvent, verify_chain
from vern.kit.db import make_engine
from vern.kit.settings import ServiceSettings
from vern.kit.testing.backups import Backups, fresh_service, replay_shreds, service_on
from vern.kit.testing.plugin import Databases, ServiceSpec

from ..webhooks.conftest import hold


def _rows(app: FastAPI) -> dict[str, set[str]]:
    with Session(app.state.engine) as session:
        return {
            "subscriber": {str(i) for i in session.exec(select(Subscriber.id)).all()},
            "subscription": {
                str(i) for i in session.exec(select(Subscription.subscriber_id)).all()
            },
        }


def _deletions(app: FastAPI) -> list[tuple[str | None, str | None]]:
    with Session(app.state.engine) as session:
        assert verify_chain(session).ok
        events = session.exec(
            select(AuditEvent.subject_id, AuditEvent.reason)
            .where(AuditEvent.action == "subscriber.delete")
            .order_by(col(AuditEvent.id))
        ).all()
        return [(subject, reason) for subject, reason in events]


def test_a_restore_replayed_deletes_the_removed_subscribers_rows_and_keeps_the_chain(
    vern_service: ServiceSpec,
    vern_settings: ServiceSettings,
    vern_app: FastAPI,
    vern_databases: Databases,
    tmp_path: Path,
) -> None:
    backups = Backups(vern_databases, tmp_path)
    live = fresh_service(vern_service, vern_settings, vern_app.state.verifier, backups)
    with Session(live.state.engine) as session:
        leaving = str(hold(session, live.state.vault, "kari.nordmann@example.org").id)
        staying = str(hold(session, live.state.vault, "ola.nordmann@example.org").id)
        session.commit()
    data_dump = backups.dump(live.state.settings.database_url, "data")
    keys_dump = backups.dump(live.state.settings.keystore_url, "keys")
    with Session(live.state.engine) as session:
        subscriber = session.get(Subscriber, uuid.UUID(leaving))
        assert subscriber is not None
        delete_subscriber(
            session=session, vault=live.state.vault, subscriber=subscriber,
            reason=SuppressionReason.unsubscribed,
            principal=actor_principal("unsubscribe-link"),
        )  # fmt: skip
        session.commit()
    journal = tmp_path / "shreds.jsonl"
    assert keyadmin.export_journal(live.state.vault, journal) == 1

    restored = service_on(
        vern_service, vern_settings, vern_app.state.verifier,
        database_url=backups.restore(data_dump, "data_restored"),
        keystore_url=backups.restore(keys_dump, "keys_restored"),
    )  # fmt: skip
    both = {leaving, staying}
    assert _rows(restored) == {"subscriber": both, "subscription": both}
    entries = keyadmin.read_journal(journal)
    engine = make_engine(restored.state.settings.database_url)

    printed = replay_shreds(restored.state.settings, "consent", journal)

    assert "1 erasures replayed, 1 restored keys destroyed" in printed
    assert '1 restored rows of erased subjects deleted {"subscriber": 1}' in printed
    only = {staying}
    assert _rows(restored) == {"subscriber": only, "subscription": only}
    assert _deletions(restored) == [(leaving, keyadmin.RESTORE_REASON)]
    with Session(restored.state.engine) as session:
        kept = session.get(Subscriber, uuid.UUID(staying))
        assert kept is not None
        assert email_of(restored.state.vault, kept) == "ola.nordmann@example.org"

    again = keyadmin.purge(engine, restored.state.vault, [s for s, _ in entries], purge_erased)

    assert again == {"subscriber": 0}
    assert _deletions(restored) == [(leaving, keyadmin.RESTORE_REASON)]
    assert _deletions(live) == [(leaving, "unsubscribed")]

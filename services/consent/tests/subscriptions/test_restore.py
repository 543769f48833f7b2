"""A restore after an unsubscribe, a provider's bounce and an expired request: the backups taken
before them are restored and the shred journal replayed; the removed subscribers' rows are gone
from the restored database (not only unreadable), with the removal's audit event, their addresses
are on the suppression list again for the reasons they were removed (the expired request's not),
the other subscriber stays readable, the audit chain verifies, and a second replay changes nothing.
On SQLite and on PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlmodel import Session, col, select

from vern.consent.consents.models import Subscriber, SuppressedAddress, SuppressionReason
from vern.consent.subscriptions.models import Subscription
from vern.consent.subscriptions.removal import (
    actor_principal,
    delete_subscriber,
    email_of,
    purge_erased,
)
from vern.consent.webhooks import service as webhook_service
from vern.consent.webhooks.events import Action, ParsedBatch, ProviderEvent
from vern.kit import keyadmin
from vern.kit.audit import AuditEvent, verify_chain
from vern.kit.clock import now_utc
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


def _suppressed(app: FastAPI) -> dict[str, str]:
    with Session(app.state.engine) as session:
        entries = session.exec(select(SuppressedAddress)).all()
        return {entry.email_bidx: entry.reason for entry in entries}


def test_a_restore_replayed_deletes_the_removed_subscribers_rows_and_keeps_the_chain(
    vern_service: ServiceSpec,
    vern_settings: ServiceSettings,
    vern_app: FastAPI,
    vern_databases: Databases,
    tmp_path: Path,
) -> None:
    backups = Backups(vern_databases, tmp_path)
    live = fresh_service(vern_service, vern_settings, vern_app.state.verifier, backups)
    vault = live.state.vault
    with Session(live.state.engine) as session:
        held = {
            name: hold(session, vault, f"{name}@example.org")
            for name in ("leaving", "bouncing", "expired", "staying")
        }
        ids = {name: str(subscriber.id) for name, subscriber in held.items()}
        bidx = {name: subscriber.email_bidx for name, subscriber in held.items()}
        session.commit()
    data_dump = backups.dump(live.state.settings.database_url, "data")
    keys_dump = backups.dump(live.state.settings.keystore_url, "keys")
    with Session(live.state.engine) as session:
        for name, reason in (("leaving", SuppressionReason.unsubscribed), ("expired", None)):
            subscriber = session.get(Subscriber, uuid.UUID(ids[name]))
            assert subscriber is not None
            delete_subscriber(
                session=session, vault=vault, subscriber=subscriber, reason=reason,
                principal=actor_principal("unsubscribe-link"),
            )  # fmt: skip
        webhook_service.handle(
            session=session, vault=vault, profile=live.state.profile, provider="sendgrid",
            batch=ParsedBatch([ProviderEvent("sg-1", "bouncing@example.org", Action.bounced)], 1, 0),
            now=now_utc(), retention=timedelta(days=1),
        )  # fmt: skip
        session.commit()
    assert _suppressed(live) == {bidx["leaving"]: "unsubscribed", bidx["bouncing"]: "bounced"}
    journal = tmp_path / "shreds.jsonl"
    assert keyadmin.export_journal(vault, journal) == 3

    restored = service_on(
        vern_service, vern_settings, vern_app.state.verifier,
        database_url=backups.restore(data_dump, "data_restored"),
        keystore_url=backups.restore(keys_dump, "keys_restored"),
    )  # fmt: skip
    everyone = set(ids.values())
    assert _rows(restored) == {"subscriber": everyone, "subscription": everyone}
    assert _suppressed(restored) == {}
    entries = keyadmin.read_journal(journal)
    engine = make_engine(restored.state.settings.database_url)

    printed = replay_shreds(restored.state.settings, "consent", journal)

    assert "3 erasures replayed, 3 restored keys destroyed" in printed
    assert '3 restored rows of erased subjects deleted {"subscriber": 3}' in printed
    only = {ids["staying"]}
    assert _rows(restored) == {"subscriber": only, "subscription": only}
    # Each address is suppressed again for the reason it was removed; the expired request's not.
    assert _suppressed(restored) == _suppressed(live)
    with Session(restored.state.engine) as session:
        for entry in session.exec(select(SuppressedAddress)).all():
            assert entry.suppressed_at is not None  # as of the removal, from the journal
    erased = sorted(ids[name] for name in ("leaving", "bouncing", "expired"))
    assert sorted(_deletions(restored)) == [(i, keyadmin.RESTORE_REASON) for i in erased]
    with Session(restored.state.engine) as session:
        kept = session.get(Subscriber, uuid.UUID(ids["staying"]))
        assert kept is not None
        assert email_of(restored.state.vault, kept) == "staying@example.org"

    again = keyadmin.purge(
        engine, restored.state.vault, [e.subject_id for e in entries], purge_erased
    )

    assert again == {"subscriber": 0}
    assert sorted(_deletions(restored)) == [(i, keyadmin.RESTORE_REASON) for i in erased]
    assert _suppressed(restored) == _suppressed(live)
    assert sorted(_deletions(live)) == sorted(
        [(ids["leaving"], "unsubscribed"), (ids["bouncing"], "bounced"),
         (ids["expired"], "unconfirmed")]
    )  # fmt: skip

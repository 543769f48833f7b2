"""The e-mail outbox under concurrency: deliveries running at once send each message once, a
request's after-commit delivery takes only its own messages, and two first confirmations of a
list store its legal text once without an error. These tests commit for real (other connections
must see the rows) and remove what they made."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import anyio
import anyio.to_thread
import pytest
from fastapi import BackgroundTasks, FastAPI
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import LegalText, Subscriber
from vern.consent.lists import service as list_service
from vern.consent.mail import repository as mail_repository
from vern.consent.mail import service as mail_service
from vern.consent.mail.models import MailMessage
from vern.consent.subscriptions.dependencies import deliver_mail, schedule_mail
from vern.consent.subscriptions.service import Links
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault

from .conftest import Inbox

pytestmark = pytest.mark.anyio

LINKS = Links(
    base_url="https://vern.example.no",
    mail_from="post@example.no",
    unsubscribe_mailto="avmelding@example.no",
)


def _enqueue(session: Session, vault: Vault, subscriber_id: uuid.UUID, n: int) -> list[uuid.UUID]:
    return [
        mail_service.enqueue_unsubscribe_links(
            session=session, vault=vault, subscriber_id=subscriber_id,
            to=f"mottaker{i}@example.org", links=LINKS, lists=[("Nyhetsbrev", "https://x/y")],
        ).id
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def engine(vern_app: FastAPI) -> Engine:
    app_engine: Engine = vern_app.state.engine
    return app_engine


@pytest.fixture
def subscriber(engine: Engine, vault: Vault) -> Iterator[uuid.UUID]:
    """A committed subscriber (and its key); deleted with its messages afterwards."""
    subscriber_id = uuid.uuid4()
    vault.create_subject_key(str(subscriber_id))
    with Session(engine) as session:
        session.add(
            Subscriber(
                id=subscriber_id,
                email_ct=vault.encrypt(str(subscriber_id), "x@example.org", context="t") or "",
                email_bidx=uuid.uuid4().hex,
                created_at=now_utc(),
            )
        )
        session.commit()
    yield subscriber_id
    with Session(engine) as session:
        session.exec(delete(MailMessage).where(col(MailMessage.subscriber_id) == subscriber_id))
        session.exec(delete(Subscriber).where(col(Subscriber.id) == subscriber_id))
        session.commit()
    vault.shred(str(subscriber_id))


def _remaining(engine: Engine, subscriber_id: uuid.UUID) -> int:
    with Session(engine) as session:
        rows = session.exec(
            select(MailMessage).where(col(MailMessage.subscriber_id) == subscriber_id)
        ).all()
        return len(rows)


async def test_deliveries_running_at_once_send_each_message_once(
    engine: Engine, vault: Vault, smtp: mail_service.SmtpServer, inbox: Inbox,
    subscriber: uuid.UUID,
) -> None:  # fmt: skip
    with Session(engine) as session:
        queued = _enqueue(session, vault, subscriber, 12)
        session.commit()
    results: list[dict[str, int]] = []

    def one_delivery() -> None:
        with Session(engine) as session:
            results.append(mail_service.deliver_due(session=session, vault=vault, server=smtp))

    async with anyio.create_task_group() as group:
        for _ in range(4):
            group.start_soon(anyio.to_thread.run_sync, one_delivery)

    assert sum(r["delivered"] for r in results) == len(queued)
    assert len(inbox.messages) == len(queued)
    assert sorted(r[0] for r in inbox.recipients) == sorted(
        f"mottaker{i}@example.org" for i in range(len(queued))
    )
    assert _remaining(engine, subscriber) == 0


async def test_a_claimed_message_is_left_to_its_claimant(
    engine: Engine, vault: Vault, smtp: mail_service.SmtpServer, inbox: Inbox,
    subscriber: uuid.UUID,
) -> None:  # fmt: skip
    with Session(engine) as session:
        [queued] = _enqueue(session, vault, subscriber, 1)
        session.commit()
    with Session(engine) as session:
        now = now_utc()
        claimed = mail_repository.claim_due(
            session=session, now=now, lease_until=now + mail_service.LEASE, only=None, limit=10
        )
        assert [m.id for m in claimed] == [queued]
        session.commit()

    def other_delivery() -> dict[str, int]:
        with Session(engine) as session:
            return mail_service.deliver_due(session=session, vault=vault, server=smtp)

    assert (await anyio.to_thread.run_sync(other_delivery))["delivered"] == 0
    assert inbox.messages == []
    assert _remaining(engine, subscriber) == 1


async def test_rows_being_claimed_are_skipped_not_waited_for_on_postgresql(
    engine: Engine, vault: Vault, smtp: mail_service.SmtpServer, inbox: Inbox,
    subscriber: uuid.UUID,
) -> None:  # fmt: skip
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: a second claim waits for the first")
    with Session(engine) as session:
        [queued] = _enqueue(session, vault, subscriber, 1)
        session.commit()
    with Session(engine) as claiming:
        now = now_utc()
        claimed = mail_repository.claim_due(
            session=claiming, now=now, lease_until=now + mail_service.LEASE, only=None, limit=10
        )
        assert [m.id for m in claimed] == [queued]

        def other_delivery() -> dict[str, int]:
            with Session(engine) as session:
                return mail_service.deliver_due(session=session, vault=vault, server=smtp)

        # The claim has not committed: the other delivery skips the locked row.
        assert (await anyio.to_thread.run_sync(other_delivery))["delivered"] == 0
        claiming.rollback()
    assert inbox.messages == []


async def test_after_commit_delivery_sends_only_the_requests_own_messages(
    vern_app: FastAPI, engine: Engine, vault: Vault, smtp: mail_service.SmtpServer, inbox: Inbox,
    subscriber: uuid.UUID, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(vern_app.state.settings, "deliver_after_commit", True)
    monkeypatch.setattr(vern_app.state.settings, "smtp_host", smtp.host)
    monkeypatch.setattr(vern_app.state.settings, "smtp_port", smtp.port)
    with Session(engine) as session:
        [older] = _enqueue(session, vault, subscriber, 1)  # another request's, or the scheduler's
        session.commit()
    background = BackgroundTasks()
    request: Any = SimpleNamespace(app=vern_app)
    with Session(engine) as session:
        mail_service.queued_ids(session)  # nothing queued by this session yet
        [own] = _enqueue(session, vault, subscriber, 1)
        session.commit()
        schedule_mail(request, background, session)
        assert mail_service.queued_ids(session) == []  # taken by the scheduled task
    [task] = background.tasks
    assert task.func is deliver_mail
    assert task.args == (vern_app, [own])

    counts = await anyio.to_thread.run_sync(lambda: deliver_mail(*task.args))

    assert counts == {"delivered": 1, "failed": 0, "dropped": 0}
    assert len(inbox.messages) == 1
    with Session(engine) as session:
        assert session.get(MailMessage, own) is None
        assert session.get(MailMessage, older) is not None


def test_a_request_that_queued_nothing_schedules_nothing(
    vern_app: FastAPI, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vern_app.state.settings, "deliver_after_commit", True)
    background = BackgroundTasks()
    schedule_mail(SimpleNamespace(app=vern_app), background, db_session)  # type: ignore[arg-type]
    assert background.tasks == []


def test_storing_a_legal_text_that_is_already_there_is_no_error(db_session: Session) -> None:
    digest = uuid.uuid4().hex
    for _ in range(2):
        consent_repository.add_legal_text(
            session=db_session, text_hash=digest, text="Samtykketekst", now=now_utc()
        )
    db_session.flush()
    rows = db_session.exec(select(LegalText).where(LegalText.hash == digest)).all()
    assert len(rows) == 1


def _waiting_on_a_lock(engine: Engine) -> bool:
    with engine.connect() as connection:
        waiting = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        ).scalar_one()
    return bool(waiting)


async def test_two_first_confirmations_at_once_both_store_the_legal_text(engine: Engine) -> None:
    legal = f"Jeg ønsker å motta nyhetsbrevet ({uuid.uuid4()})."
    errors: list[BaseException] = []
    digests: list[str] = []
    first = Session(engine)
    try:
        digests.append(list_service.store_legal_text(session=first, text=legal))  # not committed

        def second() -> None:
            # On PostgreSQL it sees no row, inserts and waits for the first; on SQLite it waits
            # for the first to commit before it begins.
            try:
                with Session(engine) as session:
                    digests.append(list_service.store_legal_text(session=session, text=legal))
                    session.commit()
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)

        thread = threading.Thread(target=second)
        thread.start()
        if engine.dialect.name == "postgresql":
            for _ in range(500):  # until the second insert waits for the first's row
                if _waiting_on_a_lock(engine):
                    break
                await anyio.sleep(0.01)
        first.commit()
        await anyio.to_thread.run_sync(thread.join)
        assert errors == []
        assert len(digests) == 2
        assert digests[0] == digests[1]
        with Session(engine) as session:
            assert session.get(LegalText, digests[0]) is not None
    finally:
        first.close()
        with Session(engine) as session:
            session.exec(delete(LegalText).where(col(LegalText.text) == legal))
            session.commit()

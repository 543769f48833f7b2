"""Two sign-ups for a new address at the same moment make one subscriber: both look the address up
before either inserts it, and the second insert waits for the first and takes its row. On SQLite
(one writer: the second transaction waits for the first from its start) and on PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import Subscriber
from vern.consent.subscriptions import service as subscription_service
from vern.consent.subscriptions.dependencies import links_of
from vern.consent.subscriptions.models import Subscription
from vern.kit.settings import ServiceSettings
from vern.kit.testing.backups import Backups, fresh_service
from vern.kit.testing.plugin import Databases, ServiceSpec

from .conftest import NORMALISED

# Long enough for two PostgreSQL transactions to reach the barrier together; on SQLite the second
# cannot start until the first commits, so the first goes on alone after this wait.
BARRIER_SECONDS = 3.0


@pytest.fixture
def live(
    vern_service: ServiceSpec,
    vern_settings: ServiceSettings,
    vern_app: FastAPI,
    vern_databases: Databases,
    tmp_path: Path,
) -> FastAPI:
    """The service on databases of its own: each sign-up commits, as it does in production."""
    backups = Backups(vern_databases, tmp_path)
    return fresh_service(vern_service, vern_settings, vern_app.state.verifier, backups)


def make_lookups_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sign-up waits after looking the address up until the other has looked it up too."""
    both_looked = threading.Barrier(2, timeout=BARRIER_SECONDS)
    lookup = consent_repository.find_by_email_bidx

    def looked_up_together(*, session: Session, email_bidx: str) -> Sequence[Subscriber]:
        found = lookup(session=session, email_bidx=email_bidx)
        # Broken when the other could not look yet (SQLite) or has already gone on.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_looked.wait()
        return found

    monkeypatch.setattr(consent_repository, "find_by_email_bidx", looked_up_together)


@pytest.fixture
def lookups_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    make_lookups_meet(monkeypatch)


def sign_up(app: FastAPI, list_id: str) -> None:
    with Session(app.state.engine) as session:
        subscription_service.request_subscription(
            session=session, vault=app.state.vault, profile=app.state.profile,
            links=links_of(app.state.settings), email=NORMALISED, list_id=list_id,
            ip_network=None, valid_for=timedelta(days=1),
        )  # fmt: skip
        session.commit()


@pytest.mark.usefixtures("lookups_meet")
@pytest.mark.parametrize("lists", [("general", "partners"), ("general", "general")])
def test_two_sign_ups_for_a_new_address_at_once_make_one_subscriber(
    live: FastAPI, lists: tuple[str, str]
) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(sign_up, live, list_id) for list_id in lists]:
            done.result()
    with Session(live.state.engine) as session:
        [subscriber] = session.exec(select(Subscriber)).all()
        subscriptions = session.exec(select(Subscription)).all()
    assert sorted(s.list_id for s in subscriptions) == sorted(set(lists))
    assert {s.subscriber_id for s in subscriptions} == {subscriber.id}
    vault = live.state.vault
    assert subscription_service.email_of(vault, subscriber) == NORMALISED
    # The key made for the subscriber that lost the race is destroyed again.
    assert sum(vault.keys_by_kek().values()) == 1


@pytest.mark.parametrize("confirmed", [False, True], ids=["web form", "staff consent"])
def test_two_sign_ups_for_a_known_address_and_list_at_once_make_one_subscription(
    live: FastAPI, monkeypatch: pytest.MonkeyPatch, confirmed: bool
) -> None:
    """The address is known: both find its subscriber, and the second waits for the first's
    subscription to that list instead of inserting another (a unique violation, a 500)."""
    sign_up(live, "partners")
    with Session(live.state.engine) as session:
        [known] = session.exec(select(Subscriber)).all()

    def subscribe_confirmed(app: FastAPI, list_id: str) -> None:
        with Session(app.state.engine) as session:
            [subscriber] = consent_repository.find_by_email_bidx(
                session=session, email_bidx=known.email_bidx
            )
            subscription_service.subscribe_confirmed(
                session=session, vault=app.state.vault, subscriber=subscriber,
                list_id=list_id, at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
            )  # fmt: skip
            session.commit()

    make_lookups_meet(monkeypatch)
    asking = subscribe_confirmed if confirmed else sign_up
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(asking, live, "general") for _ in range(2)]:
            done.result()
    with Session(live.state.engine) as session:
        assert session.exec(select(Subscriber)).all() == [known]
        subscriptions = session.exec(select(Subscription)).all()
    assert sorted(s.list_id for s in subscriptions) == ["general", "partners"]

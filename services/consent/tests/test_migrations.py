"""The migrations create exactly what the models declare (a model change needs a migration), and
the upgrade to one subscriber per address and person refuses data that breaks it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from vern.kit.clock import now_utc
from vern.kit.db import make_engine, metadata
from vern.kit.migrations import upgrade
from vern.kit.testing.migrations import round_trip, schema_drift
from vern.kit.testing.plugin import Databases, ServiceSpec


def test_migrations_match_the_models(db_session: Session) -> None:
    assert schema_drift(db_session.connection(), metadata) == []


def test_migrations_downgrade_to_base_and_upgrade_again(
    vern_service: ServiceSpec, vern_databases: Databases
) -> None:
    round_trip(vern_service.migrations, vern_databases.make)


# A subscriber row as the migrations leave it (ids as text: SQLite stores them so, PostgreSQL casts).
INSERT_SUBSCRIBER = text(
    "INSERT INTO subscriber (id, subject_ref, email_ct, email_bidx, created_at)"
    " VALUES (:id, :ref, 'sealed', :bidx, :at)"
)


def _add_subscribers(url: str, bidx: str, subject_refs: Sequence[str | None]) -> None:
    engine = make_engine(url)
    try:
        for subject_ref in subject_refs:
            with engine.begin() as connection:
                connection.execute(
                    INSERT_SUBSCRIBER,
                    {"id": uuid.uuid4().hex, "ref": subject_ref, "bidx": bidx, "at": now_utc()},
                )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "subject_refs", [(None, None), ("person-1", "person-1")], ids=["no person", "one person"]
)
def test_the_unique_address_upgrade_stops_at_an_address_held_twice_naming_no_row(
    vern_service: ServiceSpec, vern_databases: Databases, subject_refs: tuple[str | None, ...]
) -> None:
    url = vern_databases.make(f"duplicates_{uuid.uuid4().hex[:8]}")
    upgrade(vern_service.migrations, url, "0003")
    bidx = "k1:" + "ab" * 30
    _add_subscribers(url, bidx, [*subject_refs, "person-2"])
    with pytest.raises(RuntimeError, match=r"^1 addresses are held by more than one") as refused:
        upgrade(vern_service.migrations, url, "head")
    assert bidx not in str(refused.value)


def test_two_persons_may_share_an_address_and_one_may_hold_it_for_no_person(
    vern_service: ServiceSpec, vern_databases: Databases
) -> None:
    url = vern_databases.make(f"shared_{uuid.uuid4().hex[:8]}")
    upgrade(vern_service.migrations, url, "head")
    _add_subscribers(url, "k1:same", ["person-1", "person-2", None])
    for subject_ref in ("person-1", None):
        with pytest.raises(IntegrityError):
            _add_subscribers(url, "k1:same", [subject_ref])

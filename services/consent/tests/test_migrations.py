"""The migrations create exactly what the models declare (a model change needs a migration), and
the upgrade to one subscriber per address and person refuses data that breaks it."""

from __future__ import annotations

import uuid

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


@pytest.mark.parametrize(
    "subject_refs", [(None, None), ("person-1", "person-1")], ids=["no person", "one person"]
)
def test_the_unique_address_upgrade_stops_at_an_address_held_twice_naming_no_row(
    vern_service: ServiceSpec, vern_databases: Databases, subject_refs: tuple[str | None, ...]
) -> None:
    url = vern_databases.make(f"duplicates_{uuid.uuid4().hex[:8]}")
    upgrade(vern_service.migrations, url, "0003")
    bidx = "k1:" + "ab" * 30
    engine = make_engine(url)
    with engine.begin() as connection:
        for subject_ref in (*subject_refs, "person-2"):
            connection.execute(
                text(
                    "INSERT INTO subscriber (id, subject_ref, email_ct, email_bidx, created_at)"
                    " VALUES (:id, :ref, 'sealed', :bidx, :at)"
                ),
                {"id": uuid.uuid4().hex, "ref": subject_ref, "bidx": bidx, "at": now_utc()},
            )
    with pytest.raises(RuntimeError, match=r"^1 addresses are held by more than one") as refused:
        upgrade(vern_service.migrations, url, "head")
    assert bidx not in str(refused.value)
    engine.dispose()


def test_two_persons_may_share_an_address_and_one_may_hold_it_for_no_person(
    vern_service: ServiceSpec, vern_databases: Databases
) -> None:
    url = vern_databases.make(f"shared_{uuid.uuid4().hex[:8]}")
    upgrade(vern_service.migrations, url, "head")
    engine = make_engine(url)
    insert = text(
        "INSERT INTO subscriber (id, subject_ref, email_ct, email_bidx, created_at)"
        " VALUES (:id, :ref, 'sealed', 'k1:same', :at)"
    )
    with engine.begin() as connection:
        for subject_ref in ("person-1", "person-2", None):
            connection.execute(
                insert, {"id": uuid.uuid4().hex, "ref": subject_ref, "at": now_utc()}
            )
    for subject_ref in ("person-1", None):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                insert, {"id": uuid.uuid4().hex, "ref": subject_ref, "at": now_utc()}
            )
    engine.dispose()

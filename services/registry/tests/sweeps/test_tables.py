"""Each registry rule sweeps its own table: waiting-list entries, activity registrations, and the
anonymous counters of years marked no longer needed."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from fastapi import FastAPI
from sqlmodel import Session, select

from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile
from vern.registry.statistics.models import StatisticCounter, StatisticsRetention
from vern.registry.sweeps import service as sweep_service
from vern.registry.waitlist.models import WaitlistEntry

from .factory import keys_left

ON = date(2027, 3, 28)
SCHEDULER = Principal(subject="vern-scheduler", kind="machine", issuer="test")


def sweep(session: Session, vern_app: FastAPI, on: date) -> dict[str, int]:
    profile: OrgProfile = vern_app.state.profile
    result = sweep_service.sweep(
        session=session, vault=vern_app.state.vault, principal=SCHEDULER, profile=profile,
        on=on, dry_run=False, batch_size=2,
    )  # fmt: skip
    return result.counts


def entry(session: Session, vault: Vault, due: date | None) -> str:
    entry_id = uuid.uuid4()
    vault.create_subject_key(str(entry_id))
    session.add(
        WaitlistEntry(
            id=entry_id, created_at=now_utc(), received_date=date(2027, 1, 2),
            full_name_ct=vault.encrypt(str(entry_id), "Venter", context="waitlist_entry.full_name"),
            retention_due_date=due,
        )
    )  # fmt: skip
    session.flush()
    return str(entry_id)


def test_waiting_list_entries_go_on_their_date_and_unassigned_ones_stay(
    db_session: Session, vern_app: FastAPI
) -> None:
    vault = vern_app.state.vault
    due = [entry(db_session, vault, ON), entry(db_session, vault, ON - timedelta(days=3))]
    later = entry(db_session, vault, ON + timedelta(days=1))
    unassigned = entry(db_session, vault, None)  # no counsellor yet: the clock has not started
    counts = sweep(db_session, vern_app, ON)
    assert counts["waitlist_entry"] == 2
    left = {str(e.id) for e in db_session.exec(select(WaitlistEntry))}
    assert left >= {later, unassigned}
    assert not left & set(due)
    assert keys_left(vern_app.state.keystore, [*due, later, unassigned]) == {later, unassigned}


def test_counters_of_a_year_no_longer_needed_go_on_that_date_and_not_the_day_before(
    db_session: Session, vern_app: FastAPI
) -> None:
    for year in (2025, 2026):
        for month in (1, 2, 3):
            db_session.add(StatisticCounter(metric="contacts", key="phone", year=year, month=month,
                                            count=7))  # fmt: skip
    db_session.add(StatisticsRetention(year=2025, no_longer_needed_date=ON, set_at=now_utc()))
    db_session.flush()

    assert sweep(db_session, vern_app, ON - timedelta(days=1))["anonymous_statistics"] == 0
    assert sweep(db_session, vern_app, ON)["anonymous_statistics"] == 3
    years = {c.year for c in db_session.exec(select(StatisticCounter))}
    assert years == {2026}

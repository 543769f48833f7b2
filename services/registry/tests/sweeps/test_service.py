"""The retention sweep deletes exactly what is due, with keys, audit and events, and survives
being killed half-way."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import Session, col, select

from vern.kit import audit
from vern.kit.audit import AuditEvent, verify_chain
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.contract import SweepResult
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile, load_profile
from vern.kit.outbox import OutboxMessage
from vern.registry.persons.models import Person
from vern.registry.sweeps import events
from vern.registry.sweeps import service as sweep_service
from vern.registry.sweeps.models import PendingShred, RetentionSweep

from .factory import client_due, keys_left, remaining

ON = date(2027, 3, 28)
SCHEDULER = Principal(subject="vern-scheduler", kind="machine", issuer="test", roles=frozenset())
TRYGGERE = load_profile("deploy/orgs/tryggere.yaml")


class Killed(Exception):
    """Stands for the process dying at that point."""


def run(
    session: Session, vault: Vault, profile: OrgProfile, *, on: date = ON, batch_size: int = 3,
    dry_run: bool = False,
) -> SweepResult:  # fmt: skip
    return sweep_service.sweep(
        session=session, vault=vault, principal=SCHEDULER, profile=profile, on=on,
        dry_run=dry_run, batch_size=batch_size,
    )  # fmt: skip


def run_killed(session: Session, vault: Vault, profile: OrgProfile) -> None:
    """A sweep that dies; the session dependency then rolls back the batch in flight."""
    with pytest.raises(Killed):
        run(session, vault, profile)
    session.rollback()


def kill_on_call(n: int, real: Callable[..., Any]) -> Callable[..., Any]:
    calls = 0

    def dying(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            raise Killed
        return real(*args, **kwargs)

    return dying


@pytest.fixture
def vault(vern_app: FastAPI) -> Vault:
    v: Vault = vern_app.state.vault
    return v


@pytest.fixture
def profile(vern_app: FastAPI) -> OrgProfile:
    p: OrgProfile = vern_app.state.profile  # Nok. Bergen
    return p


def register_of(session: Session, vault: Vault, offsets: list[int]) -> tuple[list[str], list[str]]:
    """Clients due `offset` days after ON; returns (due on ON, not yet due)."""
    ids = [(client_due(session, vault, ON + timedelta(days=o)), o) for o in offsets]
    return [i for i, o in ids if o <= 0], [i for i, o in ids if o > 0]


def retention_audit(session: Session, ids: list[str]) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.action == sweep_service.AUDIT_ACTION, col(AuditEvent.subject_id).in_(ids)
    )
    return list(session.exec(query))


def test_a_sweep_deletes_exactly_the_rows_due_and_destroys_exactly_their_keys(
    db_session: Session, vault: Vault, profile: OrgProfile, vern_app: FastAPI
) -> None:
    due, kept = register_of(db_session, vault, [-400, -1, 0, 0, 1, 2, 30, 0, -7, 365])
    result = run(db_session, vault, profile)
    assert result.counts["contact_register"] == len(due)
    assert remaining(db_session, due + kept) == set(kept)
    assert keys_left(vern_app.state.keystore, due + kept) == set(kept)
    assert db_session.exec(select(func.count()).select_from(PendingShred)).one() == 0


def test_every_deleted_row_is_audited_once_with_its_rule_and_no_personal_data(
    db_session: Session, vault: Vault, profile: OrgProfile
) -> None:
    due, kept = register_of(db_session, vault, [-3, -2, -1, 0, 1])
    run(db_session, vault, profile, batch_size=2)
    events_ = retention_audit(db_session, due + kept)
    assert sorted(e.subject_id or "" for e in events_) == sorted(due)
    assert {(e.subject_type, e.reason, e.actor_kind) for e in events_} == {
        ("person", "contact_register", "machine")
    }
    assert verify_chain(db_session).ok


def test_a_sweep_tells_other_services_which_subjects_were_erased(
    db_session: Session, vault: Vault, profile: OrgProfile
) -> None:
    due, _ = register_of(db_session, vault, [-1, 0, 5])
    run(db_session, vault, profile, batch_size=10)
    messages = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.subject_id == events.EVENTS_KEY)
    ).all()
    payloads = [
        json.loads(vault.decrypt(m.subject_id, m.payload, context="outbox.payload") or "{}")
        for m in messages
    ]
    erased = [p for p in payloads if set(due) <= set(p["subject_refs"])]
    assert erased
    assert erased[0]["type"] == "subject.erased"
    assert erased[0]["rule"] == "contact_register"
    assert "Sweepesen" not in json.dumps(payloads)


def test_a_dry_run_counts_what_is_due_and_deletes_nothing(
    db_session: Session, vault: Vault, profile: OrgProfile, vern_app: FastAPI
) -> None:
    due, kept = register_of(db_session, vault, [-1, 0, 1])
    before = run(db_session, vault, profile, dry_run=True).counts["contact_register"]
    assert remaining(db_session, due + kept) == set(due + kept)
    assert keys_left(vern_app.state.keystore, due + kept) == set(due + kept)
    after = run(db_session, vault, profile).counts["contact_register"]
    assert before == after >= len(due)


def test_sweeping_twice_deletes_nothing_more(
    db_session: Session, vault: Vault, profile: OrgProfile
) -> None:
    due, kept = register_of(db_session, vault, [-1, 0, 1])
    run(db_session, vault, profile)
    again = run(db_session, vault, profile)
    assert again.counts["contact_register"] == 0
    assert remaining(db_session, due + kept) == set(kept)
    assert len(retention_audit(db_session, due)) == len(due)


def test_a_sweep_killed_after_a_commit_before_the_keys_went_is_finished_by_the_next(
    db_session: Session, vault: Vault, profile: OrgProfile, vern_app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    due, kept = register_of(db_session, vault, [-9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2])
    uninterrupted = len(due)
    monkeypatch.setattr(vault, "shred_many", kill_on_call(2, vault.shred_many))
    run_killed(db_session, vault, profile)
    # Batch 2 is committed (rows gone) but its keys are not yet destroyed: they are queued.
    gone = set(due) - remaining(db_session, due)
    alive_keys = keys_left(vern_app.state.keystore, list(gone))
    assert alive_keys
    queued = {
        s
        for entry in db_session.exec(select(PendingShred))
        for s in json.loads(entry.subject_ids_json)
    }
    assert alive_keys <= queued
    monkeypatch.undo()

    result = run(db_session, vault, profile)
    assert result.counts["contact_register"] == uninterrupted
    assert remaining(db_session, due + kept) == set(kept)
    assert keys_left(vern_app.state.keystore, due + kept) == set(kept)
    assert len(retention_audit(db_session, due)) == len(due)
    assert verify_chain(db_session).ok


def test_a_sweep_killed_inside_a_batch_loses_only_that_batch_and_a_rerun_ends_the_same(
    db_session: Session, vault: Vault, profile: OrgProfile, vern_app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    due, kept = register_of(db_session, vault, [-9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2])
    monkeypatch.setattr(audit, "record_many", kill_on_call(3, audit.record_many))
    run_killed(db_session, vault, profile)
    # Two batches of three are done; the third was rolled back: its rows are there, readable.
    still_there = remaining(db_session, due)
    assert len(still_there) == len(due) - 6
    assert keys_left(vern_app.state.keystore, list(still_there)) == still_there
    unfinished = db_session.exec(
        select(RetentionSweep).where(col(RetentionSweep.finished_at).is_(None))
    ).one()
    assert json.loads(unfinished.counts_json) == {"contact_register": 6}
    monkeypatch.undo()

    result = run(db_session, vault, profile)
    assert result.counts["contact_register"] == len(due)
    assert remaining(db_session, due + kept) == set(kept)
    assert keys_left(vern_app.state.keystore, due + kept) == set(kept)
    assert len(retention_audit(db_session, due)) == len(due)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offsets=st.lists(st.integers(min_value=-800, max_value=800), min_size=1, max_size=12))
def test_whatever_the_register_holds_a_sweep_deletes_exactly_the_due_set_and_its_keys(
    db_session: Session, vault: Vault, profile: OrgProfile, vern_app: FastAPI, offsets: list[int]
) -> None:
    on = ON + timedelta(days=5000)  # past everything earlier examples left behind
    ids = [(client_due(db_session, vault, on + timedelta(days=o)), o) for o in offsets]
    due = [i for i, o in ids if o <= 0]
    kept = [i for i, o in ids if o > 0]
    run(db_session, vault, profile, on=on, batch_size=4)
    assert remaining(db_session, due + kept) == set(kept)
    assert keys_left(vern_app.state.keystore, due + kept) == set(kept)
    # The kept ones go when their day comes, and not before.
    run(db_session, vault, profile, on=on + timedelta(days=800), batch_size=4)
    assert remaining(db_session, kept) == set()


def test_a_profile_with_a_journal_vendor_sweeps_its_own_rule(
    db_session: Session, vault: Vault
) -> None:
    due, kept = register_of(db_session, vault, [-1, 0, 1])
    result = run(db_session, vault, TRYGGERE)
    assert result.counts["counselling_record"] >= len(due)
    assert "contact_register" not in result.counts
    assert remaining(db_session, due + kept) == set(kept)


def test_the_journal_vendor_is_told_the_retention_of_each_consenting_client_swept(
    db_session: Session, vault: Vault
) -> None:
    """Tryggere's rule `notifies` its journal vendor: a client who consented to the journal and
    is swept gets a signed `journal.retention_due` with their due date; one who never consented
    was never in the journal, so the vendor hears nothing of them."""
    consented = client_due(db_session, vault, ON - timedelta(days=2))
    never = client_due(db_session, vault, ON)
    person = db_session.get(Person, uuid.UUID(consented))
    assert person is not None
    person.journal_consent_at = now_utc()
    db_session.add(person)
    db_session.flush()
    db_session.expunge(person)  # the sweep deletes with SQL; keep no stale copy in the session
    run(db_session, vault, TRYGGERE)
    to_vendor = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.target == "journal:aspit_journal")
    ).all()
    assert [m.subject_id for m in to_vendor] == [f"journal:{consented}"]
    sealed = vault.decrypt(to_vendor[0].subject_id, to_vendor[0].payload, context="outbox.payload")
    assert sealed is not None
    event = json.loads(sealed)
    assert event["type"] == "journal.retention_due"
    assert event["data"]["client_id"] == consented
    assert event["data"]["due_date"] == (ON - timedelta(days=2)).isoformat()
    assert remaining(db_session, [consented, never]) == set()

"""The retention sweep: deletes, batch by batch, what the profile's rules say is due.

Order of the steps, chosen so that a crash anywhere leaves nothing readable past its date and no
key alive for ever (the key store is another database, so no transaction spans both):

1. One transaction per batch in the registry database: lock the due rows, delete them (and the
   rows that cannot exist without them), queue their subject ids in `pending_shred`, append one
   audit event per row (rule id and row id only), enqueue `subject.erased` and the journal
   vendor's webhooks, add the batch to the sweep's counts. Commit.
2. Destroy the batch's keys in the key store (one transaction, journalled there).
3. The next batch's transaction clears those ids from `pending_shred`.

A crash in 1 rolls the batch back: the rows are still there, readable, and the next sweep
deletes them. A crash after 1 leaves deleted rows whose keys are queued: every sweep first
shreds what the queue holds, so no key outlives its rows for longer than until the next sweep.
Keys are only ever destroyed after their rows are gone, so a row is never left that a key
shredding made unreadable. A rerun re-does only unfinished work (shredding is idempotent), and
continues the counts of the sweep the crash interrupted, so it ends with the same result.

The batch commits are the only commits outside the session dependency, on purpose: a sweep may
delete hundreds of thousands of rows, and each batch must stand on its own.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.contract import PreviewItem, SweepResult
from vern.kit.crypto import Vault
from vern.kit.logging import get_logger
from vern.kit.orgprofile import OrgProfile
from vern.registry.sweeps import events
from vern.registry.sweeps import repository as sweep_repository
from vern.registry.sweeps.plans import RulePlan, registry_plans

SERVICE = "registry"
AUDIT_ACTION = "retention.delete"
DRAIN_BATCH = 20  # queue entries (batches) at a time
log = get_logger(__name__)


def sweep(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    profile: OrgProfile,
    on: date,
    dry_run: bool,
    batch_size: int,
) -> SweepResult:
    """Deletes what is due on `on` under each of the registry's rules (or, with `dry_run`, only
    counts it) and returns the counts per rule."""
    plans = [p for p in registry_plans(profile) if _available(p)]
    if dry_run:
        counts = {p.rule_id: p.target.count_due(session, on=on) for p in plans}
        return SweepResult(service=SERVICE, dry_run=True, on=on, counts=counts)
    drain_shreds(session=session, vault=vault)
    run = sweep_repository.unfinished_run(session=session)
    if run is None:
        run = sweep_repository.start_run(session=session, on=on, now=now_utc())
    elif run.on_date < on:
        run.on_date = on  # continued on a later day: what fell due since is due now too
    run_id, on = run.id, run.on_date
    session.commit()
    shredded: list[uuid.UUID] = []  # queue entries whose keys are destroyed, to clear
    for plan in plans:
        while True:
            selected, queued = _sweep_batch(
                session, vault, principal, profile, plan, run_id=run_id, on=on, limit=batch_size,
                shredded=shredded,
            )  # fmt: skip
            session.commit()
            shredded = _shred(vault, queued)
            if selected < batch_size:
                break
    run = sweep_repository.lock_run(session=session, run_id=run_id)
    sweep_repository.clear_shreds(session=session, entry_ids=shredded)
    run.finished_at = now_utc()
    session.add(run)
    counts = {p.rule_id: 0 for p in plans} | sweep_repository.counts_of(run)
    session.commit()
    log.info("retention sweep finished", on=on.isoformat(), batches=run.batches, counts=counts)
    return SweepResult(service=SERVICE, dry_run=False, on=on, counts=counts)


def _available(plan: RulePlan) -> bool:
    if plan.target.available():
        return True
    # A module of the registry not built into this version: nothing of it can be stored here.
    log.warning("retention rule has no table in this registry", rule=plan.rule_id)
    return False


def _sweep_batch(
    session: Session,
    vault: Vault,
    principal: Principal,
    profile: OrgProfile,
    plan: RulePlan,
    *,
    run_id: uuid.UUID,
    on: date,
    limit: int,
    shredded: list[uuid.UUID],
) -> tuple[int, tuple[uuid.UUID, list[str]] | None]:
    """One batch in one transaction; returns how many rows were selected, and the queue entry
    and subjects whose keys are to be destroyed once it commits."""
    run = sweep_repository.lock_run(session=session, run_id=run_id)
    sweep_repository.clear_shreds(session=session, entry_ids=shredded)
    target = plan.target
    ids = target.due_ids(session, on=on, limit=limit)
    if not ids:
        return 0, None
    if plan.notifies and target.subject_type == "person":
        events.notify_journal(session, vault, profile, person_ids=ids)
    deleted = [str(i) for i in target.delete(session, ids=ids)]
    queued = None
    if target.keyed and deleted:
        sweep_repository.drop_undelivered(session=session, subject_ids=deleted)
        entry = sweep_repository.queue_shreds(session=session, subject_ids=deleted, now=now_utc())
        queued = (entry, deleted)
    if target.subject_type == "person":
        events.subject_erased(
            session, vault, subject_type=target.subject_type, subject_ids=deleted,
            rule_id=plan.rule_id, on=on,
        )  # fmt: skip
    sweep_repository.add_counts(
        session=session, run=run, rule_id=plan.rule_id, deleted=len(deleted)
    )
    audit.record_many(
        session, principal=principal, action=AUDIT_ACTION, subject_type=target.subject_type,
        subject_ids=deleted, reason=plan.rule_id,
    )  # fmt: skip
    return len(ids), queued


def _shred(vault: Vault, queued: tuple[uuid.UUID, list[str]] | None) -> list[uuid.UUID]:
    if queued is None:
        return []
    entry, subject_ids = queued
    vault.shred_many(subject_ids)
    return [entry]


def drain_shreds(*, session: Session, vault: Vault) -> int:
    """Destroys the keys a crashed sweep left queued; returns how many subjects it handled."""
    handled = 0
    while True:
        pending = sweep_repository.pending_shreds(session=session, limit=DRAIN_BATCH)
        if not pending:
            session.commit()
            return handled
        subject_ids = [s for _, ids in pending for s in ids]
        vault.shred_many(subject_ids)
        sweep_repository.clear_shreds(session=session, entry_ids=[e for e, _ in pending])
        session.commit()
        handled += len(subject_ids)


def preview(*, session: Session, profile: OrgProfile, until: date) -> list[PreviewItem]:
    """What the sweeps will delete on or before `until`, by rule: ids and dates, never names."""
    items = []
    for plan in registry_plans(profile):
        if not plan.target.available():
            continue
        for row_id, due in plan.target.due_until(session, until=until):
            items.append(PreviewItem(rule=plan.rule_id, subject_id=str(row_id), due_date=due))
    return sorted(items, key=lambda item: (item.due_date, item.rule, item.subject_id))

"""Key administration every service's command line offers: the key store's state, KEK rotation in
batches, and the shred journal's export and replay after a restore (see README, "Backups").

The journal file holds subject ids, dates and reason codes only (JSON lines), never personal data.

A replay destroys the keys a restored key store brought back; a service that keeps rows under
those keys also hands in a `Purge`, which deletes the rows a restored data database brought back
for the journalled subjects (unreadable, but rows all the same), with the audit event its erasure
writes, attributed to `RESTORE` with the reason `RESTORE_REASON`. Both are idempotent. A purge that
redoes more of the erasure than deleting (consent suppresses the address again) reads why each
subject was erased from the key store's journal (`Vault.journal_of`), where the replay put it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from vern.kit.auth import Principal
from vern.kit.crypto import JournalEntry, Vault

# Who the audit log names for rows a replay deletes, and why (ids and this text only).
RESTORE = Principal(subject="vern-restore", kind="machine", issuer="vern")
RESTORE_REASON = "erased after the backup; replayed after a restore"
PURGE_BATCH = 500

# A service's purge: deletes what its data database still holds of the subjects (in the caller's
# transaction, auditing each as its erasure does); returns rows deleted by kind.
Purge = Callable[[Session, Vault, Sequence[str]], dict[str, int]]


@dataclass(frozen=True)
class Progress:
    """What a batched key operation did: rows touched and the wall time it took."""

    rows: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def rewrap(
    vault: Vault, *, batch_size: int, on_batch: Callable[[int], None] | None = None
) -> Progress:
    """Moves every subject key under the active KEK, one short transaction per batch."""
    started = time.perf_counter()
    moved = 0
    while batch := vault.rewrap_batch(batch_size):
        moved += batch
        if on_batch is not None:
            on_batch(moved)
    return Progress(moved, time.perf_counter() - started)


def export_journal(vault: Vault, path: Path, *, since: datetime | None = None) -> int:
    """Writes the shred journal to `path` (JSON lines); returns how many erasures it holds."""
    entries = vault.journal(since)
    with path.open("w", encoding="utf-8") as out:
        for entry in entries:
            line = {"subject_id": entry.subject_id, "shredded_at": entry.shredded_at.isoformat()}
            if entry.reason is not None:
                line["reason"] = entry.reason
            out.write(json.dumps(line))
            out.write("\n")
    return len(entries)


def read_journal(path: Path) -> list[JournalEntry]:
    """A journal written by `export_journal` (a file written before reasons were journalled
    has none)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            entries.append(
                JournalEntry(
                    str(entry["subject_id"]),
                    datetime.fromisoformat(entry["shredded_at"]),
                    entry.get("reason"),
                )
            )
    return entries


@dataclass(frozen=True)
class Replay:
    journalled: int  # erasures replayed
    keys_destroyed: int  # keys a restore had brought back


def replay(vault: Vault, journal: Iterable[JournalEntry]) -> Replay:
    """Replays journalled erasures into the vault's key store (after restoring it)."""
    entries = list(journal)
    return Replay(len(entries), vault.replay_shreds(entries))


def purge(
    engine: Engine,
    vault: Vault,
    subject_ids: Iterable[str],
    purge_rows: Purge,
    *,
    batch_size: int = PURGE_BATCH,
) -> dict[str, int]:
    """Runs a service's purge over the journalled subjects, one transaction per batch; returns
    rows deleted by kind (none the second time)."""
    ids = list(dict.fromkeys(subject_ids))
    deleted: dict[str, int] = {}
    for start in range(0, len(ids), batch_size):
        with Session(engine) as session:
            counts = purge_rows(session, vault, ids[start : start + batch_size])
            session.commit()
        for kind, count in counts.items():
            deleted[kind] = deleted.get(kind, 0) + count
    return deleted


def status(vault: Vault) -> dict[str, object]:
    """The key store at a glance: keys per KEK, erasures journalled, the active key ids."""
    return {
        "keys_by_kek": vault.keys_by_kek(),
        "shreds_journalled": len(vault.journal()),
        "active_blind_index_key_id": vault.active_blind_index_key_id or "(blind_index_key)",
    }

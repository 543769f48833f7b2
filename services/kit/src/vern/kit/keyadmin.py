"""Key administration every service's command line offers: the key store's state, KEK rotation in
batches, and the shred journal's export and replay after a restore (see README, "Backups").

The journal file holds subject ids and dates only (JSON lines), never personal data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from vern.kit.crypto import Vault


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
        for subject_id, shredded_at in entries:
            out.write(
                json.dumps({"subject_id": subject_id, "shredded_at": shredded_at.isoformat()})
            )
            out.write("\n")
    return len(entries)


def read_journal(path: Path) -> list[tuple[str, datetime]]:
    """A journal written by `export_journal`."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            entries.append((str(entry["subject_id"]), datetime.fromisoformat(entry["shredded_at"])))
    return entries


@dataclass(frozen=True)
class Replay:
    journalled: int  # erasures replayed
    keys_destroyed: int  # keys a restore had brought back


def replay(vault: Vault, journal: Iterable[tuple[str, datetime]]) -> Replay:
    """Replays journalled erasures into the vault's key store (after restoring it)."""
    entries = list(journal)
    return Replay(len(entries), vault.replay_shreds(entries))


def status(vault: Vault) -> dict[str, object]:
    """The key store at a glance: keys per KEK, erasures journalled, the active key ids."""
    return {
        "keys_by_kek": vault.keys_by_kek(),
        "shreds_journalled": len(vault.journal()),
        "active_blind_index_key_id": vault.active_blind_index_key_id or "(blind_index_key)",
    }

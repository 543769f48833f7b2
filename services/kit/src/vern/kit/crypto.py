"""Field encryption with one data key per data subject, blind indexes, and crypto-shredding.

Subject data keys are AES-256-GCM keys wrapped by a key-encryption key (KEK) from settings and kept
in a key store: a database of its own, apart from the data, so that a backup of the data alone can
never be read once a subject's key is destroyed. Ciphertexts name the subject key they need.

Both kinds of key rotate without downtime. KEKs: every replica is given the new KEK, then it is
made active, then `rewrap_batch` moves the wrapped keys over while the service answers, and the old
KEK goes once `keys_by_kek` shows none left under it. Blind-index keys are versioned the same way:
an index value names its key (`<key id>:<hmac>`; values of the unversioned `blind_index_key` are
the bare HMAC, as before versioning), writes use the active key, lookups try every configured key
(`blind_indexes`) and a service's re-index command rewrites the values under the active key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    LargeBinary,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import Executable

from vern.kit.db import NAMING_CONVENTION
from vern.kit.idlists import one_of

CIPHERTEXT_VERSION = "v1"
NONCE_BYTES = 12
# Blind-index key ids are short, so that `<key id>:<hmac>` still fits the 64 characters the index
# columns have held since before versioning: the HMAC-SHA256 is cut to 55-62 hex digits (at least
# 220 bits), plenty for an exact-match index.
BLIND_INDEX_KEY_ID = re.compile(r"^[A-Za-z0-9-]{1,8}$")
BLIND_INDEX_LENGTH = 64
_T = TypeVar("_T")
UNVERSIONED = ""  # the key id of `blind_index_key`, whose values carry no key id

keystore_metadata = MetaData(naming_convention=NAMING_CONVENTION)

subject_key = Table(
    "subject_key",
    keystore_metadata,
    Column("subject_id", String(64), primary_key=True),
    Column("key_id", String(36), nullable=False, unique=True),
    Column("kek_id", String(64), nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Every shredding is journalled here, in the key store, so that restoring an older copy of the data
# database can be followed by replaying the erasures made since (see `shredded_since`).
shred_journal = Table(
    "shred_journal",
    keystore_metadata,
    Column("subject_id", String(64), primary_key=True),
    Column("shredded_at", DateTime(timezone=True), nullable=False, index=True),
    # Why, where replaying the erasure depends on it (consent puts the address's keyed hash back on
    # its suppression list for the reason it was removed): a code, never personal data.
    Column("reason", String(32), nullable=True),
)


class JournalEntry(NamedTuple):
    """One journalled erasure: the subject's id, when its key was destroyed, and why (a code)."""

    subject_id: str
    shredded_at: datetime
    reason: str | None = None


class SubjectKeyMissing(Exception):
    """The subject's key has been destroyed (or never existed): its data cannot be read."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_key(text: str) -> bytes:
    key = base64.b64decode(text)
    if len(key) != 32:
        raise ValueError("keys must be 32 bytes, base64 encoded")
    return key


@dataclass(frozen=True)
class _DataKey:
    key_id: str
    aead: AESGCM


class Vault:
    """Encrypts and decrypts personal data fields under per-subject keys."""

    def __init__(
        self,
        keystore: Engine,
        *,
        keks: dict[str, bytes],
        active_kek_id: str,
        blind_index_key: bytes | None,
        blind_index_keys: dict[str, bytes] | None = None,
        active_blind_index_key_id: str | None = None,
        cache_seconds: float = 60.0,
    ) -> None:
        if active_kek_id not in keks:
            raise ValueError("active_kek_id names no key-encryption key")
        self._keystore = keystore
        self._keks = {kid: AESGCM(key) for kid, key in keks.items()}
        self._active_kek_id = active_kek_id
        self._index_keys = _index_keys(blind_index_key, blind_index_keys or {})
        active_index = active_blind_index_key_id or UNVERSIONED
        if active_index not in self._index_keys:
            raise ValueError("active_blind_index_key_id names no blind-index key")
        self._active_index_key_id = active_index
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, _DataKey]] = {}
        self._lock = threading.Lock()

    # -- subject keys ------------------------------------------------------------------------

    def create_subject_key(self, subject_id: str) -> None:
        """Creates the subject's data key (idempotent) and stores it wrapped in the key store."""
        if self._load(subject_id, required=False) is not None:
            return
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(NONCE_BYTES)
        kek = self._keks[self._active_kek_id]
        wrapped = nonce + kek.encrypt(nonce, key, subject_id.encode())
        with self._keystore.begin() as conn:
            conn.execute(
                insert(subject_key).values(
                    subject_id=subject_id,
                    key_id=str(uuid.uuid4()),
                    kek_id=self._active_kek_id,
                    wrapped_key=wrapped,
                    created_at=datetime.now(UTC),
                )
            )

    def shred(self, subject_id: str, reason: str | None = None) -> bool:
        """Destroys the subject's data key and journals it (with the reason, a code, if the
        service's replay needs one); True if a key was destroyed."""
        with self._keystore.begin() as conn:
            deleted = conn.execute(
                delete(subject_key).where(subject_key.c.subject_id == subject_id)
            )
            already = conn.execute(
                select(shred_journal.c.subject_id).where(shred_journal.c.subject_id == subject_id)
            ).first()
            if already is None:
                conn.execute(
                    insert(shred_journal).values(
                        subject_id=subject_id, shredded_at=datetime.now(UTC), reason=reason
                    )
                )
        with self._lock:
            self._cache.pop(subject_id, None)
        return bool(deleted.rowcount)

    def create_subject_keys(self, subject_ids: Sequence[str]) -> int:
        """Creates data keys for many subjects in one key-store transaction (bulk loads); subjects
        that already have a key keep it. Returns how many keys were created."""
        wanted = list(dict.fromkeys(subject_ids))
        kek = self._keks[self._active_kek_id]
        dialect = self._keystore.dialect.name
        created = 0
        with self._keystore.begin() as conn:
            for chunk in _chunks(wanted, _chunk_size(dialect)):
                existing = set(
                    conn.execute(
                        select(subject_key.c.subject_id).where(
                            one_of(subject_key.c.subject_id, chunk, dialect=dialect)
                        )
                    ).scalars()
                )
                now = datetime.now(UTC)
                rows = []
                for subject_id in chunk:
                    if subject_id in existing:
                        continue
                    nonce = os.urandom(NONCE_BYTES)
                    key = AESGCM.generate_key(bit_length=256)
                    rows.append(
                        {
                            "subject_id": subject_id,
                            "key_id": str(uuid.uuid4()),
                            "kek_id": self._active_kek_id,
                            "wrapped_key": nonce + kek.encrypt(nonce, key, subject_id.encode()),
                            "created_at": now,
                        }
                    )
                if rows:
                    conn.execute(insert(subject_key), rows)
                    created += len(rows)
        return created

    def shred_many(self, subject_ids: Sequence[str], reason: str | None = None) -> int:
        """Destroys many subjects' data keys and journals them (with one reason, as `shred`), in
        one key-store transaction; idempotent (a subject journalled before keeps its first date).
        Returns how many keys were destroyed."""
        wanted = list(dict.fromkeys(subject_ids))
        dialect = self._keystore.dialect.name
        destroyed = 0
        with self._keystore.begin() as conn:
            for chunk in _chunks(wanted, _chunk_size(dialect)):
                result = conn.execute(
                    delete(subject_key).where(
                        one_of(subject_key.c.subject_id, chunk, dialect=dialect)
                    )
                )
                destroyed += result.rowcount
                conn.execute(_journal_insert(dialect, chunk, datetime.now(UTC), reason))
        with self._lock:
            for subject_id in wanted:
                self._cache.pop(subject_id, None)
        return destroyed

    def shredded_since(self, since: datetime) -> list[str]:
        """Subjects shredded at or after `since`: the erasures a restore must replay."""
        with self._keystore.connect() as conn:
            rows = conn.execute(
                select(shred_journal.c.subject_id)
                .where(shred_journal.c.shredded_at >= since)
                .order_by(shred_journal.c.shredded_at)
            )
            return [row.subject_id for row in rows]

    def replay_shreds(self, journal: Sequence[JournalEntry]) -> int:
        """Replays erasures journalled elsewhere (e.g. in the key store before it was restored
        from a backup): journals each one with its first date, destroys any key a restore brought
        back. Idempotent; returns how many keys were destroyed."""
        dialect = self._keystore.dialect.name
        destroyed = 0
        with self._keystore.begin() as conn:
            for chunk in _chunks(list(journal), _chunk_size(dialect)):
                ids = [entry.subject_id for entry in chunk]
                result = conn.execute(
                    delete(subject_key).where(
                        one_of(subject_key.c.subject_id, ids, dialect=dialect)
                    )
                )
                destroyed += result.rowcount
                rows = [entry._asdict() for entry in chunk]
                insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
                conn.execute(insert_(shred_journal).values(rows).on_conflict_do_nothing())
        with self._lock:
            for entry in journal:
                self._cache.pop(entry.subject_id, None)
        return destroyed

    def journal(self, since: datetime | None = None) -> list[JournalEntry]:
        """The shred journal (subject ids, dates and reasons, oldest first), from `since` on if
        given."""
        query = select(shred_journal)
        if since is not None:
            query = query.where(shred_journal.c.shredded_at >= since)
        with self._keystore.connect() as conn:
            rows = conn.execute(query.order_by(shred_journal.c.shredded_at, "subject_id"))
            return [_entry(row) for row in rows]

    def journal_of(self, subject_ids: Sequence[str]) -> dict[str, JournalEntry]:
        """The journalled erasures of these subjects, by subject id (those never erased are
        left out)."""
        dialect = self._keystore.dialect.name
        found: dict[str, JournalEntry] = {}
        with self._keystore.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(subject_ids)), _chunk_size(dialect)):
                query = select(shred_journal).where(
                    one_of(shred_journal.c.subject_id, chunk, dialect=dialect)
                )
                found.update((row.subject_id, _entry(row)) for row in conn.execute(query))
        return found

    def keys_by_kek(self) -> dict[str, int]:
        """How many subject keys each KEK wraps: a KEK with none left may be removed."""
        query = select(subject_key.c.kek_id, func.count()).group_by(subject_key.c.kek_id)
        with self._keystore.connect() as conn:
            return {kek_id: count for kek_id, count in conn.execute(query)}

    def rewrap_batch(self, batch_size: int = 1000) -> int:
        """Re-wraps up to `batch_size` subject keys not yet under the active KEK, in one short
        key-store transaction, so the service keeps answering between batches (KEK rotation).
        Returns how many moved; 0 when none is left. A key shredded meanwhile stays shredded."""
        with self._keystore.begin() as conn:
            rows = conn.execute(
                select(subject_key.c.subject_id, subject_key.c.kek_id, subject_key.c.wrapped_key)
                .where(subject_key.c.kek_id != self._active_kek_id)
                .order_by(subject_key.c.subject_id)
                .limit(batch_size)
            ).all()
            if not rows:
                return 0
            kek = self._keks[self._active_kek_id]
            moved = []
            for row in rows:
                key = self._unwrap(row.subject_id, row.kek_id, row.wrapped_key)
                nonce = os.urandom(NONCE_BYTES)
                moved.append(
                    {
                        "b_subject_id": row.subject_id,
                        "b_old_kek_id": row.kek_id,
                        "kek_id": self._active_kek_id,
                        "wrapped_key": nonce + kek.encrypt(nonce, key, row.subject_id.encode()),
                    }
                )
            # The old KEK id in the condition: a concurrent rewrap of the same key does no harm.
            conn.execute(
                subject_key.update()
                .where(subject_key.c.subject_id == bindparam("b_subject_id"))
                .where(subject_key.c.kek_id == bindparam("b_old_kek_id"))
                .values(kek_id=bindparam("kek_id"), wrapped_key=bindparam("wrapped_key")),
                moved,
            )
        return len(moved)

    def rewrap_all(self, batch_size: int = 1000) -> int:
        """Re-wraps every subject key under the active KEK, batch by batch; returns how many."""
        moved = 0
        while batch := self.rewrap_batch(batch_size):
            moved += batch
        return moved

    # -- fields ------------------------------------------------------------------------------

    def encrypt(self, subject_id: str, plaintext: str | None, *, context: str) -> str | None:
        """AEAD-encrypts one field; `context` (e.g. "person.email") is bound as associated data."""
        if plaintext is None:
            return None
        data_key = self._load(subject_id, required=True)
        assert data_key is not None
        nonce = os.urandom(NONCE_BYTES)
        sealed = data_key.aead.encrypt(nonce, plaintext.encode(), _aad(subject_id, context))
        return f"{CIPHERTEXT_VERSION}.{data_key.key_id}.{_b64(nonce + sealed)}"

    def decrypt(self, subject_id: str, token: str | None, *, context: str) -> str | None:
        if token is None:
            return None
        version, key_id, body = token.split(".", 2)
        if version != CIPHERTEXT_VERSION:
            raise ValueError("unknown ciphertext version")
        data_key = self._load(subject_id, required=True)
        assert data_key is not None
        if data_key.key_id != key_id:
            raise SubjectKeyMissing("the ciphertext was sealed with a key that no longer exists")
        raw = _unb64(body)
        try:
            plain = data_key.aead.decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(subject_id, context)
            )
        except InvalidTag as exc:
            raise ValueError("ciphertext failed authentication") from exc
        return plain.decode()

    def blind_index(self, kind: str, normalised: str) -> str:
        """HMAC-SHA256 of a normalised identifier under the active blind-index key, for exact
        lookups without plaintext: the value to store."""
        return self._index_under(self._active_index_key_id, kind, normalised)

    def blind_indexes(self, kind: str, normalised: str) -> list[str]:
        """The identifier's index under every configured blind-index key, the active one first:
        what a lookup matches, so rows not yet re-indexed are found during a rotation."""
        ids = [self._active_index_key_id]
        ids += [k for k in self._index_keys if k != self._active_index_key_id]
        return [self._index_under(key_id, kind, normalised) for key_id in ids]

    def blind_index_under(self, key_id: str, kind: str, normalised: str) -> str:
        """The identifier's index under one named key (to reproduce a value made before a
        rotation, e.g. a token already mailed); KeyError if that key is not configured."""
        return self._index_under(key_id, kind, normalised)

    @property
    def active_blind_index_key_id(self) -> str:
        """The id of the key new index values are made with ("" for `blind_index_key`)."""
        return self._active_index_key_id

    def blind_index_is_current(self, value: str) -> bool:
        """Whether an index value was made with the active key (else a re-index rewrites it)."""
        return blind_index_key_id(value) == self._active_index_key_id

    def _index_under(self, key_id: str, kind: str, normalised: str) -> str:
        message = f"{kind}:{normalised}".encode()
        digest = hmac.new(self._index_keys[key_id], message, hashlib.sha256).hexdigest()
        if key_id == UNVERSIONED:
            return digest
        return f"{key_id}:{digest}"[:BLIND_INDEX_LENGTH]

    def warm(self, subject_ids: Sequence[str]) -> None:
        """Loads many subjects' keys into the cache in a few queries (batch jobs that decrypt
        row after row, such as a re-index); subjects without a key are left out."""
        dialect = self._keystore.dialect.name
        expires = time.monotonic() + self._cache_seconds
        loaded: dict[str, tuple[float, _DataKey]] = {}
        with self._keystore.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(subject_ids)), _chunk_size(dialect)):
                rows = conn.execute(
                    select(subject_key).where(
                        one_of(subject_key.c.subject_id, chunk, dialect=dialect)
                    )
                )
                for row in rows:
                    key = self._unwrap(row.subject_id, row.kek_id, row.wrapped_key)
                    loaded[row.subject_id] = (expires, _DataKey(row.key_id, AESGCM(key)))
        with self._lock:
            self._cache.update(loaded)

    # -- internals ---------------------------------------------------------------------------

    def _load(self, subject_id: str, *, required: bool) -> _DataKey | None:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(subject_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        with self._keystore.connect() as conn:
            row = conn.execute(
                select(subject_key).where(subject_key.c.subject_id == subject_id)
            ).first()
        if row is None:
            if required:
                raise SubjectKeyMissing("no data key for this subject")
            return None
        data_key = _DataKey(
            row.key_id, AESGCM(self._unwrap(subject_id, row.kek_id, row.wrapped_key))
        )
        with self._lock:
            self._cache[subject_id] = (now + self._cache_seconds, data_key)
        return data_key

    def _unwrap(self, subject_id: str, kek_id: str, wrapped: bytes) -> bytes:
        kek = self._keks.get(kek_id)
        if kek is None:
            raise SubjectKeyMissing(f"key-encryption key {kek_id!r} is not configured")
        return kek.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], subject_id.encode())


def blind_index_key_id(value: str) -> str:
    """The id of the key a blind-index value was made with ("" for an unversioned value)."""
    key_id, sep, _ = value.partition(":")
    return key_id if sep else UNVERSIONED


def _index_keys(unversioned: bytes | None, versioned: dict[str, bytes]) -> dict[str, bytes]:
    keys = {} if unversioned is None else {UNVERSIONED: unversioned}
    for key_id, key in versioned.items():
        if not BLIND_INDEX_KEY_ID.match(key_id):
            raise ValueError("blind-index key ids are 1-8 letters, digits or hyphens")
        keys[key_id] = key
    if not keys:
        raise ValueError("no blind-index key is configured")
    return keys


def _entry(row: Any) -> JournalEntry:
    return JournalEntry(row.subject_id, _aware(row.shredded_at), row.reason)


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back; the key store writes UTC only.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _chunks(items: Sequence[_T], size: int = 500) -> Iterator[Sequence[_T]]:
    # Bounded IN lists: SQLite caps the parameters of one statement.
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _chunk_size(dialect: str) -> int:
    # PostgreSQL takes a list as one array parameter, so only memory bounds a chunk there.
    return 10_000 if dialect == "postgresql" else 500


def _journal_insert(
    dialect: str, subject_ids: Sequence[str], now: datetime, reason: str | None
) -> Executable:
    """Journals the subjects not journalled yet, in one statement."""
    journal = shred_journal.c
    columns = [journal.subject_id.name, journal.shredded_at.name, journal.reason.name]
    if dialect == "postgresql":
        ids = bindparam(None, value=list(subject_ids), type_=ARRAY(journal.subject_id.type))
        stamp = bindparam(None, value=now, type_=journal.shredded_at.type)
        why = bindparam(None, value=reason, type_=journal.reason.type)
        rows = select(func.unnest(ids), stamp, why)
        return pg_insert(shred_journal).from_select(columns, rows).on_conflict_do_nothing()
    values = [{"subject_id": s, "shredded_at": now, "reason": reason} for s in subject_ids]
    return sqlite_insert(shred_journal).values(values).on_conflict_do_nothing()


def _aad(subject_id: str, context: str) -> bytes:
    return f"{context}|{subject_id}".encode()

"""Consent's blind indexes, recomputed from the sealed addresses when the blind-index key rotates
(`python -m vern.consent reindex`). A subscriber's address moves to the active key together with
its suppression-list entry and provider contacts, so that the hashes consent compares with each
other stay equal. Suppressions of addresses no longer held anywhere (only their keyed hash is
kept) cannot be recomputed: they stay under their key, which lookups keep trying while it is
configured; so do the hashes of confirmation and unsubscribe tokens already mailed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from vern.consent.consents.models import Subscriber, SuppressedAddress
from vern.consent.consents.service import email_of
from vern.consent.providers.models import ProviderContact
from vern.kit.crypto import Vault
from vern.kit.db import make_engine
from vern.kit.reindex import IndexedTable, Values, reindex, stale
from vern.kit.settings import ServiceSettings


def _email_index(vault: Vault, subscriber: Subscriber) -> Values:
    email = email_of(vault, subscriber)
    return {"email_bidx": vault.blind_index("email", email) if email else None}


def _move_with_address(session: Session, vault: Vault, subscriber: Any, values: Values) -> None:
    """Moves the address's suppression entry and provider contacts to the subscriber's new value."""
    new = values["email_bidx"]
    email = email_of(vault, subscriber)
    if new is None or email is None:
        return
    for old in vault.blind_indexes("email", email):
        if old == new:
            continue
        entry = session.get(SuppressedAddress, old)
        if entry is not None:
            if session.get(SuppressedAddress, new) is None:
                session.add(
                    SuppressedAddress(
                        email_bidx=new, reason=entry.reason, suppressed_at=entry.suppressed_at
                    )
                )
            session.delete(entry)
        session.execute(
            update(ProviderContact).where(ProviderContact.email_bidx == old).values(email_bidx=new)  # type: ignore[arg-type]
        )
    session.flush()


TABLES = (
    IndexedTable("subscriber", Subscriber, ("email_bidx",), _email_index, _move_with_address),
)


def reindex_consent(settings: ServiceSettings, vault: Vault, batch_size: int) -> dict[str, int]:
    """Rewrites consent's blind indexes under the active key, in batches; also says how many
    suppressions stay under another key (addresses no longer held)."""
    engine = make_engine(settings.database_url)
    report = reindex(engine, vault, TABLES, batch_size=batch_size)
    with Session(engine) as session:
        query = select(func.count()).where(stale(vault, SuppressedAddress.email_bidx))
        report["suppressed_address.stale"] = int(session.execute(query).scalar_one())
    return report

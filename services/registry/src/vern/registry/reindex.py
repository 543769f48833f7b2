"""The registry's blind indexes, recomputed from the sealed fields when the blind-index key rotates
(`python -m vern.registry reindex`): clients, waiting-list entries, activity registrations and the
journal vendor's references. Keyed hashes of the vendor's session ids have no sealed original; they
stay under their key, which lookups keep trying while it is configured."""

from __future__ import annotations

from typing import Any

from vern.kit.crypto import Vault
from vern.kit.db import make_engine
from vern.kit.reindex import IndexedTable, Values, reindex
from vern.kit.settings import ServiceSettings
from vern.registry.activities.models import ActivityRegistration
from vern.registry.journal.models import JournalLink
from vern.registry.persons.models import Person
from vern.registry.waitlist.models import WaitlistEntry


def _recompute(context: str, kinds: tuple[str, ...]) -> Any:
    def recompute(vault: Vault, row: Any) -> Values:
        subject = str(row.id)
        values: Values = {}
        for kind in kinds:
            plain = vault.decrypt(subject, getattr(row, f"{kind}_ct"), context=f"{context}.{kind}")
            values[f"{kind}_bidx"] = vault.blind_index(kind, plain) if plain else None
        return values

    return recompute


def _journal_reference(vault: Vault, link: JournalLink) -> Values:
    reference = vault.decrypt(
        str(link.person_id), link.vendor_reference_ct, context="journal.reference"
    )
    return {"vendor_reference_bidx": vault.blind_index("journal_reference", reference or "")}


TABLES = (
    IndexedTable(
        "person", Person, ("email_bidx", "phone_bidx", "national_id_bidx"),
        _recompute("person", ("email", "phone", "national_id")),
    ),
    IndexedTable(
        "waitlist_entry", WaitlistEntry, ("email_bidx", "phone_bidx"),
        _recompute("waitlist_entry", ("email", "phone")),
    ),
    IndexedTable(
        "activity_registration", ActivityRegistration, ("email_bidx", "phone_bidx"),
        _recompute("activity_registration", ("email", "phone")),
    ),
    IndexedTable(
        "journal_link", JournalLink, ("vendor_reference_bidx",), _journal_reference,
        id_column="person_id",
    ),
)  # fmt: skip


def reindex_registry(settings: ServiceSettings, vault: Vault, batch_size: int) -> dict[str, int]:
    """Rewrites every blind index of the registry under the active key, in batches."""
    return reindex(make_engine(settings.database_url), vault, TABLES, batch_size=batch_size)

"""Finding clients: by a part of the name (decrypted here, in the service: there is no plaintext
index to steal), or exactly by email, phone or national id through the blind indexes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.crypto import Vault
from vern.registry.persons import repository as person_repository
from vern.registry.persons.access import SEES_EVERY_CLIENT
from vern.registry.persons.models import Person
from vern.registry.persons.schemas import PersonSearch

# A name search decrypts at most this many records, newest intake first, so one request can
# never turn into a full decryption of a large register; `complete` says whether all were read.
MAX_NAME_SCAN = 5000
_BATCH = 500


@dataclass(frozen=True)
class SearchResult:
    persons: list[Person]
    complete: bool


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def search(
    *, session: Session, vault: Vault, principal: Principal, query: PersonSearch
) -> SearchResult:
    """Clients the principal may see that match the one criterion given, a page at a time."""
    counsellor = None if principal.has_role(*SEES_EVERY_CLIENT) else principal.subject
    audit.record(
        session, principal=principal, action="person.search", subject_type="person",
        subject_id=None,
    )  # fmt: skip
    if query.name is None:
        kind, value = next(
            (k, v)
            for k, v in (
                ("email", query.email),
                ("phone", query.phone),
                ("national_id", query.national_id),
            )
            if v
        )
        found = person_repository.find_by_blind_index(
            session=session,
            column=f"{kind}_bidx",
            values=vault.blind_indexes(kind, value),
            counsellor_id=counsellor,
        )
        return SearchResult(list(found[query.offset : query.offset + query.limit]), True)
    return _by_name(session, vault, counsellor, query)


def _by_name(
    session: Session, vault: Vault, counsellor: str | None, query: PersonSearch
) -> SearchResult:
    assert query.name is not None
    wanted = _folded(query.name)
    matches: list[Person] = []
    needed = query.offset + query.limit
    scanned = 0
    while scanned < MAX_NAME_SCAN and len(matches) < needed:
        batch = person_repository.list_page(
            session=session, counsellor_id=counsellor, limit=_BATCH, offset=scanned
        )
        for person in batch:
            name = vault.decrypt(str(person.id), person.full_name_ct, context="person.full_name")
            if name is not None and wanted in _folded(name):
                matches.append(person)
        scanned += len(batch)
        if len(batch) < _BATCH:
            return SearchResult(matches[query.offset : needed], True)
    return SearchResult(matches[query.offset : needed], len(matches) >= needed)

"""An address's blind index as consent stores it, during a blind-index key rotation too.

Consent compares stored keyed hashes with each other (a subscriber's with the suppression list's
and the provider contacts'), so one address must have one value everywhere. While a rotation is
under way an address may still be stored under the old key: then that stored value is the one
used, for lookups and for new rows alike, and `vern.consent.reindex` moves all of an address's
rows to the active key together. With one key configured this costs no query.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from vern.consent.consents import repository as consent_repository
from vern.kit.crypto import Vault


def email_index(session: Session, vault: Vault, email: str) -> str:
    """The value to look the (normalised) address up by and to store it under."""
    return email_indexes(session, vault, [email])[email]


def email_indexes(session: Session, vault: Vault, emails: Iterable[str]) -> dict[str, str]:
    """`email_index` for many addresses, in a few queries."""
    candidates = {email: vault.blind_indexes("email", email) for email in set(emails)}
    if all(len(values) == 1 for values in candidates.values()):
        return {email: values[0] for email, values in candidates.items()}
    everyone = {value for values in candidates.values() for value in values}
    stored = consent_repository.stored_email_bidxs(session=session, email_bidxs=everyone)
    return {
        email: next((v for v in values if v in stored), values[0])
        for email, values in candidates.items()
    }

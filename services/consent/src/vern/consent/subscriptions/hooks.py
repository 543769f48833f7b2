"""What else must happen when an address is removed: the provider sync registers a hook here
(e.g. to enqueue the deletion of the contact at SendGrid or Mailchimp)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from vern.consent.consents.models import SuppressionReason
from vern.consent.subscriptions.models import Subscription
from vern.kit.crypto import Vault


@dataclass(frozen=True)
class AddressRemoval:
    """An address being removed, seen before its rows are deleted and its key destroyed.

    `email` is the plaintext address (None if it could no longer be decrypted): a hook that needs
    it later must seal it itself, since the subscriber's key is destroyed right after the hooks
    run. `subscriptions` are the removed rows as they were (with any provider reference fields).
    """

    email_bidx: str
    email: str | None
    subscriptions: tuple[Subscription, ...]
    list_id: str | None  # None: removed from every list
    reason: SuppressionReason | None  # None: an unconfirmed request that expired
    address_deleted: bool  # False when the address stays for other lists


AddressRemovedHook = Callable[[Session, Vault, AddressRemoval], None]

# Called in the removing transaction, in order. Append at import time; keep hooks idempotent.
address_removed_hooks: list[AddressRemovedHook] = []


def run(session: Session, vault: Vault, removal: AddressRemoval) -> None:
    for hook in address_removed_hooks:
        hook(session, vault, removal)

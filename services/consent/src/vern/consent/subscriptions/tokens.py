"""Confirmation and unsubscribe tokens, and the RFC 8058 one-click unsubscribe headers.

Only keyed hashes of tokens are stored. A confirmation token is random and mailed once. An
unsubscribe token must go into every newsletter, so it is derived instead: an HMAC of the
subscription's id under the service's blind-index key (a domain of its own), unguessable without
the key and reproducible for each send; the stored hash finds the subscription."""

from __future__ import annotations

import secrets

from vern.consent.subscriptions.models import Subscription
from vern.kit.crypto import Vault, blind_index_key_id

CONFIRMATION = "subscription_confirmation_token"
UNSUBSCRIBE = "subscription_unsubscribe_token"
UNSUBSCRIBE_HASH = "subscription_unsubscribe_token_hash"
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{20,128}$"  # noqa: S105 - a pattern, not a secret


def new_confirmation_token() -> str:
    return secrets.token_urlsafe(32)


def confirmation_hash(vault: Vault, token: str) -> str:
    return vault.blind_index(CONFIRMATION, token)


def confirmation_hashes(vault: Vault, token: str) -> list[str]:
    """The token's hash under every configured blind-index key (a link mailed before a rotation)."""
    return vault.blind_indexes(CONFIRMATION, token)


def unsubscribe_token(vault: Vault, subscription: Subscription) -> str:
    """The subscription's unsubscribe token (the same for every newsletter it receives), made
    with the key its stored hash was made with: links already mailed keep working after a
    blind-index key rotation, as long as that key is configured."""
    stored = subscription.unsubscribe_token_hash
    key_id = blind_index_key_id(stored) if stored else vault.active_blind_index_key_id
    value = vault.blind_index_under(key_id, UNSUBSCRIBE, str(subscription.id))
    return value.replace(":", "_")  # URL-safe; key ids have no "_"


def unsubscribe_hash(vault: Vault, token: str) -> str:
    return vault.blind_index(UNSUBSCRIBE_HASH, token)


def unsubscribe_hashes(vault: Vault, token: str) -> list[str]:
    return vault.blind_indexes(UNSUBSCRIBE_HASH, token)


def unsubscribe_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/consent/unsubscribe/{token}"


def unsubscribe_link(*, base_url: str, page_url: str | None, token: str) -> str:
    """The unsubscribe link for an e-mail's text: the SPA's page with the token after "#" (a
    browser never sends the fragment, so the token stays out of server logs; the page completes
    the unsubscribe with it), or consent's own page when no SPA page is configured."""
    if page_url:
        return f"{page_url}#{token}"
    return unsubscribe_url(base_url, token)


def confirmation_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/consent/subscriptions/confirm/{token}"


def list_unsubscribe_headers(
    *, base_url: str, token: str, mailto: str | None = None
) -> dict[str, str]:
    """`List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 2369, RFC 8058) for one recipient.

    The HTTPS URL comes first: a mail client that supports one-click POSTs
    `List-Unsubscribe=One-Click` to it. The optional mailto carries the token in its subject, never the address.
    """
    targets = [f"<{unsubscribe_url(base_url, token)}>"]
    if mailto:
        targets.append(f"<mailto:{mailto}?subject=unsubscribe%20{token}>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }

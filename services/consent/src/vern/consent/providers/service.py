"""Provider sync: confirmed subscribers are pushed to the list's provider, and removed again.

Vern deletes an address the moment it is unsubscribed (vern.consent.subscriptions), so the
removal at the provider cannot be made from the address. Instead, every pushed address is kept
as a `ProviderContact`: the address's keyed hash (which the suppression list keeps anyway), the
list, and the provider's own contact id (SendGrid's contact id, Mailchimp's member contact_id).
A sync run then:

1. removes at the provider every contact whose subscription Vern no longer holds, using only
   that id, and deletes the row once the provider has accepted the call; a failed call leaves
   the row for the next run (a durable retry holding no address);
2. learns the contact ids SendGrid did not give at push time (its upsert is asynchronous), while
   the address is still held;
3. pushes the confirmed subscriptions not yet at the provider. Suppressed addresses are never
   pushed, nor lists without a `provider_list_id` in the org profile.

A SendGrid contact removed before its id was learnt (between a push and the next run) cannot be
found without its address: such a row is kept, counted as failed and logged by its row id, so a
person can delete the contact in SendGrid by hand. Mailchimp's upsert answers with the id at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session

from vern.consent.consents.models import Subscriber
from vern.consent.providers import repository as provider_repository
from vern.consent.providers.clients import NewsletterProvider, ProviderError
from vern.consent.providers.models import ProviderContact
from vern.consent.providers.schemas import SyncResult
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.logging import get_logger
from vern.kit.orgprofile.schema import OrgProfile

log = get_logger(__name__)
EMAIL_CONTEXT = "subscriber.email"


def sync(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    profile: OrgProfile,
    providers: Mapping[str, NewsletterProvider],
    now: datetime,
) -> SyncResult:
    """One sync run over every list connected to a provider."""
    result = SyncResult(pushed=0, resolved=0, removed=0, failed=0, skipped=0)
    held: dict[tuple[str, str], Subscriber] = {
        (subscriber.email_bidx, list_key): subscriber
        for subscriber, list_key in provider_repository.confirmed(session=session)
    }
    suppressed = provider_repository.suppressed_among(
        session=session, email_bidxs={bidx for bidx, _ in held}
    )
    current = {(bidx, key): s for (bidx, key), s in held.items() if bidx not in suppressed}
    rows = list(provider_repository.contacts(session=session))
    _remove_gone(session, providers, rows, current, result)
    _resolve_refs(session, vault, providers, rows, current, result)
    _push_new(session, vault, profile, providers, rows, current, result, now)
    audit.record(session, principal=principal, action="provider.sync",
                 subject_type="subscriber", subject_id=None,
                 reason=", ".join(f"{k} {v}" for k, v in result.model_dump().items()))  # fmt: skip
    return result


def _remove_gone(
    session: Session,
    providers: Mapping[str, NewsletterProvider],
    rows: list[ProviderContact],
    current: Mapping[tuple[str, str], Subscriber],
    result: SyncResult,
) -> None:
    remaining_lists: dict[tuple[str, str], int] = defaultdict(int)
    gone = [r for r in rows if (r.email_bidx, r.list_key) not in current]
    gone_ids = {r.id for r in gone}
    for row in rows:
        if row.id not in gone_ids and row.provider_ref is not None:
            remaining_lists[(row.provider, row.provider_ref)] += 1
    for row in gone:
        provider = providers.get(row.provider)
        if provider is None or row.provider_ref is None:
            _failed(session, row, "no provider configured" if provider is None else "id unknown")
            result.failed += 1
            continue
        whole = remaining_lists[(row.provider, row.provider_ref)] == 0
        try:
            provider.remove(list_id=row.provider_list_id, refs=[row.provider_ref],
                            whole_contact=whole)  # fmt: skip
        except ProviderError as exc:
            _failed(session, row, str(exc))
            result.failed += 1
            continue
        provider_repository.delete(session=session, contact=row)
        rows.remove(row)
        result.removed += 1


def _failed(session: Session, row: ProviderContact, error: str) -> None:
    row.removal_attempts += 1
    row.last_error = error[:255]
    session.add(row)
    session.flush()
    log.warning("provider removal failed", provider_contact_id=str(row.id), provider=row.provider,
                attempts=row.removal_attempts, error=row.last_error)  # fmt: skip


def _resolve_refs(
    session: Session,
    vault: Vault,
    providers: Mapping[str, NewsletterProvider],
    rows: list[ProviderContact],
    current: Mapping[tuple[str, str], Subscriber],
    result: SyncResult,
) -> None:
    unresolved: dict[str, dict[str, list[ProviderContact]]] = defaultdict(dict)
    for row in rows:
        subscriber = current.get((row.email_bidx, row.list_key))
        if row.provider_ref is None and subscriber is not None and row.provider in providers:
            email = _email_of(vault, subscriber)
            if email is not None:
                unresolved[row.provider].setdefault(email, []).append(row)
    for name, by_email in unresolved.items():
        try:
            refs = providers[name].resolve(emails=sorted(by_email))
        except ProviderError:
            result.failed += 1
            continue
        for email, ref in refs.items():
            for row in by_email.get(email, []):
                row.provider_ref = ref
                session.add(row)
                result.resolved += 1
    session.flush()


def _push_new(
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    providers: Mapping[str, NewsletterProvider],
    rows: list[ProviderContact],
    current: Mapping[tuple[str, str], Subscriber],
    result: SyncResult,
    now: datetime,
) -> None:
    present = {(r.email_bidx, r.list_key) for r in rows}
    due: dict[str, list[tuple[str, Subscriber]]] = defaultdict(list)
    for (bidx, list_key), subscriber in current.items():
        if (bidx, list_key) in present:
            continue
        newsletter = profile.newsletter_lists.get(list_key)
        if (
            newsletter is None
            or not newsletter.provider_list_id
            or (newsletter.provider not in providers)
        ):
            result.skipped += 1
            continue
        email = _email_of(vault, subscriber)
        if email is None:
            result.skipped += 1
            continue
        due[list_key].append((email, subscriber))
    for list_key, entries in due.items():
        newsletter = profile.newsletter_lists[list_key]
        provider_list_id = newsletter.provider_list_id or ""
        try:
            refs = providers[newsletter.provider].push(
                list_id=provider_list_id, emails=[email for email, _ in entries]
            )
        except ProviderError:
            result.failed += 1
            continue
        for email, subscriber in entries:
            provider_repository.add(session=session, contact=ProviderContact(
                email_bidx=subscriber.email_bidx, list_key=list_key,
                provider=newsletter.provider, provider_list_id=provider_list_id,
                provider_ref=refs.get(email), pushed_at=now,
            ))  # fmt: skip
            result.pushed += 1


def _email_of(vault: Vault, subscriber: Subscriber) -> str | None:
    try:
        return vault.decrypt(str(subscriber.id), subscriber.email_ct, context=EMAIL_CONTEXT)
    except SubjectKeyMissing:
        return None

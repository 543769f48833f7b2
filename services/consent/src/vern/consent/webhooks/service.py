"""The rules for provider webhooks: deduplicate, then delete each reported address at once.

An unsubscribe, hard bounce, drop or spam report deletes the address and its subscriptions in
the same transaction (vern.consent.subscriptions.service.remove_address); only the address's
keyed hash stays, on the suppression list, so that no later sync or import can add it again.
An address Vern does not hold is still put on the suppression list. A whole batch is handled in
one transaction: the event ids, the deletions and one audit event commit together or not at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from vern.consent.blindindex import email_indexes
from vern.consent.consents.models import ConsentSource, Subscriber, SuppressionReason
from vern.consent.subscriptions import hooks
from vern.consent.subscriptions import service as subscription_service
from vern.consent.subscriptions.service import EMAIL_CONTEXT
from vern.consent.webhooks import repository as webhook_repository
from vern.consent.webhooks.events import MAILCHIMP, Action, ParsedBatch, ProviderEvent
from vern.consent.webhooks.schemas import WebhookResult
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.orgprofile import OrgProfile

REASONS = {
    Action.unsubscribed: SuppressionReason.unsubscribed,
    Action.bounced: SuppressionReason.bounced,
    Action.dropped: SuppressionReason.dropped,
    Action.spam_report: SuppressionReason.spam_report,
    Action.address_changed: SuppressionReason.withdrawn,
}


def handle(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    provider: str,
    batch: ParsedBatch,
    now: datetime,
    retention: timedelta,
) -> WebhookResult:
    """Acts on one verified webhook call; a redelivered event changes nothing."""
    fresh = _first_deliveries(session, provider, batch.events, now)
    removals: dict[tuple[str, str | None], SuppressionReason] = {}
    indexes = email_indexes(session, vault, (event.email for event in fresh))
    for event in fresh:
        key = (indexes[event.email], _list_key(profile, provider, event))
        removals.setdefault(key, REASONS[event.action])
    principal = subscription_service.actor_principal(f"{provider}-webhook")
    everywhere = {bidx: reason for (bidx, key), reason in removals.items() if key is None}
    removed, suppressed = _remove_everywhere(session, vault, everywhere, principal)
    for (bidx, list_key), reason in removals.items():
        if list_key is not None:
            removed += subscription_service.remove_address(
                session=session, vault=vault, email_bidx=bidx, reason=reason,
                principal=principal, list_id=list_key, source=ConsentSource.provider,
            )  # fmt: skip
    result = WebhookResult(
        received=batch.received,
        ignored=batch.ignored,
        duplicates=len(batch.events) - len(fresh),
        removed=removed,
        suppressed=suppressed,
    )
    audit.record(session, principal=principal, action=f"webhook.{provider}",
                 subject_type="subscriber", subject_id=None,
                 reason=_summary(result))  # fmt: skip
    webhook_repository.purge_events(session=session, before=now - retention)
    return result


def _remove_everywhere(
    session: Session, vault: Vault, reasons: dict[str, SuppressionReason], principal: Principal
) -> tuple[int, int]:
    """Deletes every subscriber holding one of the addresses, with all they have, and puts every
    address's keyed hash on the suppression list; returns (subscriptions deleted, hashes newly
    suppressed).

    The batched form of `subscription_service.remove_address(list_id=None)` for a webhook's many
    addresses: the same rows go, the same hooks run, one `subscriber.delete` audit event per
    subscriber, and the keys are destroyed after the rows (one key-store transaction per reason),
    so a batch of thousands costs a few queries rather than a dozen per address."""
    subscribers = webhook_repository.subscribers_by_bidx(session=session, email_bidxs=reasons)
    ids = [s.id for s in subscribers]
    subscriptions = webhook_repository.subscriptions_of(session=session, subscriber_ids=ids)
    if hooks.address_removed_hooks:  # addresses are decrypted only when someone listens
        for subscriber in subscribers:
            hooks.run(session, vault, hooks.AddressRemoval(
                email_bidx=subscriber.email_bidx, email=_email_of(vault, subscriber),
                subscriptions=tuple(subscriptions[subscriber.id]), list_id=None,
                reason=reasons[subscriber.email_bidx], address_deleted=True,
            ))  # fmt: skip
    suppressed = webhook_repository.suppress_all(session=session, reasons=reasons)
    webhook_repository.delete_subscribers(session=session, subscriber_ids=ids)
    for subscriber in subscribers:
        session.expunge(subscriber)
    for held in subscriptions.values():
        for subscription in held:
            session.expunge(subscription)
    by_reason: dict[SuppressionReason, list[str]] = {}
    for subscriber in subscribers:
        by_reason.setdefault(reasons[subscriber.email_bidx], []).append(str(subscriber.id))
    for reason, subject_ids in by_reason.items():
        audit.record_many(session, principal=principal, action="subscriber.delete", subject_type="subscriber",
                          subject_ids=subject_ids, reason=reason.value)  # fmt: skip
    # The key store is another database: if this transaction then fails to commit, the rows stay
    # but can no longer be read, and the provider's redelivery deletes them. The journal keeps
    # each reason, so that a restore's replay suppresses the addresses again.
    for reason, subject_ids in by_reason.items():
        vault.shred_many(subject_ids, reason=reason.value)
    return sum(len(s) for s in subscriptions.values()), suppressed


def _email_of(vault: Vault, subscriber: Subscriber) -> str | None:
    try:
        return vault.decrypt(str(subscriber.id), subscriber.email_ct, context=EMAIL_CONTEXT)
    except SubjectKeyMissing:
        return None


def _first_deliveries(
    session: Session, provider: str, events: list[ProviderEvent], now: datetime
) -> list[ProviderEvent]:
    """The events not handled before, each once (a batch may carry an event twice)."""
    ids = {e.event_id for e in events if e.event_id is not None}
    new = webhook_repository.claim_events(
        session=session, provider=provider, event_ids=ids, received_at=now
    )
    fresh = []
    for event in events:
        if event.event_id is None:
            fresh.append(event)
        elif event.event_id in new:
            new.discard(event.event_id)
            fresh.append(event)
    return fresh


def _list_key(profile: OrgProfile, provider: str, event: ProviderEvent) -> str | None:
    """The profile's list an event is about; None (every list) when it names none of ours.

    SendGrid's events name no Marketing Campaigns list (`group_unsubscribe` names an unsubscribe
    group, which the profile does not map), so a SendGrid unsubscribe leaves every list. An
    unknown Mailchimp audience also means every list: the person asked to hear no more."""
    if event.provider_list_id is None or provider != MAILCHIMP:
        return None
    for key, newsletter in profile.newsletter_lists.items():
        if (
            newsletter.provider == provider
            and newsletter.provider_list_id == event.provider_list_id
        ):
            return key
    return None


def _summary(result: WebhookResult) -> str:
    return (
        f"received {result.received}, ignored {result.ignored}, duplicates {result.duplicates}, "
        f"removed {result.removed}, suppressed {result.suppressed}"
    )

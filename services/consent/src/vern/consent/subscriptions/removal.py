"""Removing an address at once ("slettes når du sier opp abonnementet"): from one list, or with
every trace of it but its keyed hash on the suppression list."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from vern.consent.consents import ledger
from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import (
    ConsentEvent,
    ConsentEventKind,
    ConsentSource,
    Subscriber,
    SuppressionReason,
)
from vern.consent.lists.service import NEWSLETTER_PURPOSE
from vern.consent.subscriptions import hooks
from vern.consent.subscriptions import repository as subscription_repository
from vern.consent.subscriptions.models import Subscription
from vern.kit import audit, keyadmin
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.crypto import JournalEntry, SubjectKeyMissing, Vault

EMAIL_CONTEXT = "subscriber.email"

_SOURCE_OF_REASON = {
    SuppressionReason.unsubscribed: ConsentSource.email_link,
    SuppressionReason.bounced: ConsentSource.provider,
    SuppressionReason.dropped: ConsentSource.provider,
    SuppressionReason.spam_report: ConsentSource.provider,
    SuppressionReason.cleaned: ConsentSource.provider,
    SuppressionReason.withdrawn: ConsentSource.staff,
    SuppressionReason.erasure: ConsentSource.staff,
}


def actor_principal(actor: str) -> Principal:
    """The audit log's principal for an action without a login (a link, a form, a webhook)."""
    return Principal(subject=actor, kind="machine", issuer="vern:consent")


def email_of(vault: Vault, subscriber: Subscriber) -> str | None:
    try:
        return vault.decrypt(str(subscriber.id), subscriber.email_ct, context=EMAIL_CONTEXT)
    except SubjectKeyMissing:
        return None


def remove_address(
    *,
    session: Session,
    vault: Vault,
    email_bidx: str,
    reason: SuppressionReason,
    principal: Principal,
    list_id: str | None = None,
    source: ConsentSource | None = None,
    ledger_actor: str | None = None,
) -> int:
    """Removes an address from one list (or every list) at once; returns how many subscriptions
    went. `principal` is who removes it (the client, staff, or the machine of a link, webhook or
    erasure), named as the actor of the audit events; the ledger's withdrawal names
    `ledger_actor` (the `sub` a service reported as having recorded it), else the principal.

    When no subscription is left for a subscriber (and no consent for another purpose holds the
    address), the subscriber goes entirely: address, subscriptions, ledger, unsent e-mail and
    calls, and then the data key, so nothing but the address's keyed hash on the suppression list
    remains. When the address stays for another list, the ledger records the withdrawal for this
    one. Idempotent: an unknown address is only (again) suppressed. Audited with ids only; the
    provider hooks see each removal before the key goes.
    """
    removed = 0
    subscribers = consent_repository.find_by_email_bidx(session=session, email_bidx=email_bidx)
    for subscriber in subscribers:
        subscriptions = subscription_repository.of_subscriber(
            session=session, subscriber_id=subscriber.id
        )
        targets = [s for s in subscriptions if list_id is None or s.list_id == list_id]
        events = consent_repository.events_of(session=session, subscriber_id=subscriber.id)
        keeps_address = list_id is not None and (
            len(targets) < len(subscriptions)
            or ledger.in_force(events, except_purpose=NEWSLETTER_PURPOSE)
        )
        if not keeps_address:
            removed += delete_subscriber(
                session=session, vault=vault, subscriber=subscriber, reason=reason,
                principal=principal, list_id=list_id,
            )  # fmt: skip
            continue
        if not targets:
            continue  # not on this list; the address stays for the others
        hooks.run(session, vault, _removal(vault, subscriber, targets, list_id, reason, False))
        for subscription in targets:
            subscription_repository.delete_subscription(session=session, subscription=subscription)
        removed += len(targets)
        _append_withdrawal(
            session, subscriber, list_id, source or _SOURCE_OF_REASON[reason],
            ledger_actor or principal.subject,
        )  # fmt: skip
        audit.record(session, principal=principal, action="subscription.delete",
                     subject_type="subscriber", subject_id=subscriber.id,
                     reason=reason.value)  # fmt: skip
    if not subscribers:
        # Held nowhere: keep (or refresh) the keyed hash so that no sync can add it back.
        consent_repository.suppress(session=session, email_bidx=email_bidx, reason=reason)
    return removed


def delete_subscriber(
    *,
    session: Session,
    vault: Vault,
    subscriber: Subscriber,
    reason: SuppressionReason | None,
    principal: Principal,
    list_id: str | None = None,
) -> int:
    """Deletes one subscriber entirely and destroys their key; returns how many subscriptions
    went. With a reason, the address's keyed hash goes on the suppression list; without one
    (an unconfirmed request that expired) nothing at all remains. Audited as `principal`'s."""
    subscriptions = list(
        subscription_repository.of_subscriber(session=session, subscriber_id=subscriber.id)
    )
    hooks.run(
        session,
        vault,
        _removal(vault, subscriber, subscriptions, list_id, reason, True),
    )
    if reason is not None:
        consent_repository.suppress(
            session=session, email_bidx=subscriber.email_bidx, reason=reason
        )
    consent_repository.delete_subscriber(session=session, subscriber=subscriber)
    audit.record(session, principal=principal, action="subscriber.delete",
                 subject_type="subscriber", subject_id=subscriber.id,
                 reason=reason.value if reason else "unconfirmed")  # fmt: skip
    # The key store is another database: if this transaction then fails, the rows stay but can
    # no longer be read, and a repeat deletes them. The journal keeps the reason, so that a
    # restore's replay suppresses the address again (`purge_erased`).
    vault.shred(str(subscriber.id), reason=reason.value if reason else None)
    return len(subscriptions)


def purge_erased(session: Session, vault: Vault, subject_ids: Sequence[str]) -> dict[str, int]:
    """After a restore (`replay-shreds`): deletes the subscribers the restored database still
    holds whose keys were destroyed after the backup (unsubscribed, bounced, erased, expired),
    with everything of theirs, as `delete_subscriber` does, and its `subscriber.delete` audit
    event (ids only), and puts each address's keyed hash back on the suppression list for the
    reason and from the time the journal holds (none for an expired request, as at the removal
    itself). The providers were told at the removal itself, so no hook runs again. Idempotent."""
    ids = []
    for subject_id in subject_ids:
        try:
            ids.append(uuid.UUID(subject_id))
        except ValueError:
            continue
    if not ids:
        return {"subscriber": 0}
    subscribers = session.exec(select(Subscriber).where(col(Subscriber.id).in_(ids))).all()
    gone = [str(subscriber.id) for subscriber in subscribers]
    journalled = vault.journal_of(gone)
    for subscriber in subscribers:
        entry = journalled.get(str(subscriber.id))
        reason = _suppression_reason(entry)
        if entry is not None and reason is not None:
            consent_repository.suppress(
                session=session, email_bidx=subscriber.email_bidx, reason=reason,
                at=entry.shredded_at,
            )  # fmt: skip
        consent_repository.delete_subscriber(session=session, subscriber=subscriber)
    audit.record_many(
        session, principal=keyadmin.RESTORE, action="subscriber.delete",
        subject_type="subscriber", subject_ids=gone, reason=keyadmin.RESTORE_REASON,
    )  # fmt: skip
    return {"subscriber": len(gone)}


def _suppression_reason(entry: JournalEntry | None) -> SuppressionReason | None:
    """The reason a journalled removal suppressed the address for; None when it suppressed
    nothing (an expired request) or was journalled before reasons were."""
    if entry is None or entry.reason is None:
        return None
    try:
        return SuppressionReason(entry.reason)
    except ValueError:
        return None


def _removal(
    vault: Vault,
    subscriber: Subscriber,
    subscriptions: list[Subscription],
    list_id: str | None,
    reason: SuppressionReason | None,
    address_deleted: bool,
) -> hooks.AddressRemoval:
    return hooks.AddressRemoval(
        email_bidx=subscriber.email_bidx,
        email=email_of(vault, subscriber),
        subscriptions=tuple(subscriptions),
        list_id=list_id,
        reason=reason,
        address_deleted=address_deleted,
    )


def _append_withdrawal(
    session: Session,
    subscriber: Subscriber,
    list_id: str | None,
    source: ConsentSource,
    actor: str,
) -> None:
    now = now_utc()
    session.add(
        ConsentEvent(
            subscriber_id=subscriber.id,
            purpose=NEWSLETTER_PURPOSE,
            list_id=list_id,
            event=ConsentEventKind.withdrawn,
            source=source,
            actor=actor,
            occurred_at=now,
            recorded_at=now,
        )
    )
    session.flush()

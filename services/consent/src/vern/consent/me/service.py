"""The rules for a client's own newsletter consents: the state per list of the proven address,
giving consent (self-service, no double opt-in) and withdrawing it at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from vern.consent.blindindex import email_index
from vern.consent.consents import repository as consent_repository
from vern.consent.consents.ledger import as_utc, in_order
from vern.consent.consents.models import (
    ConsentEvent,
    ConsentEventKind,
    ConsentSource,
    LegalText,
    Subscriber,
    SuppressionReason,
)
from vern.consent.lists import service as list_service
from vern.consent.lists.service import NEWSLETTER_PURPOSE
from vern.consent.me.schemas import MySubscription, MySubscriptionState
from vern.consent.subscriptions import repository as subscription_repository
from vern.consent.subscriptions import service as subscription_service
from vern.consent.subscriptions.models import Subscription, SubscriptionStatus
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.orgprofile.schema import OrgProfile

_RANK = {
    MySubscriptionState.subscribed: 3,
    MySubscriptionState.pending: 2,
    MySubscriptionState.withdrawn: 1,
    MySubscriptionState.never: 0,
}


def my_subscriptions(
    *, session: Session, vault: Vault, profile: OrgProfile, principal: Principal, email: str
) -> list[MySubscription]:
    """Every newsletter list of the centre with the proven address's state on it."""
    subscribers = _subscribers(session, vault, email)
    for subscriber in subscribers:
        audit.record(session, principal=principal, action="subscription.read_own",
                     subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip
    return [_state(session, profile, subscribers, list_id) for list_id in profile.newsletter_lists]


def give(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    principal: Principal,
    email: str,
    list_id: str,
) -> MySubscription:
    """Gives consent to a list for the proven address (source self-service; the ledger cites the
    list's current legal text). The address counts as confirmed, since dsar's proof shows the
    client read a code mailed to it: no double opt-in mail is sent. The client's own act lifts a
    suppression of the address, as a confirmed link does. Giving it again changes nothing."""
    list_service.get_list(profile, list_id)
    subscribers = _subscribers(session, vault, email)
    if _state(session, profile, subscribers, list_id).state == MySubscriptionState.subscribed:
        return _state(session, profile, subscribers, list_id)
    subscriber = _holder(session, subscribers, list_id) or subscription_service.new_subscriber(
        session=session, vault=vault, email=email
    )
    text_hash = list_service.store_legal_text(
        session=session, text=list_service.consent_text(profile, list_id)
    )
    now = now_utc()
    subscription_service.subscribe_confirmed(
        session=session, vault=vault, subscriber=subscriber, list_id=list_id, at=now
    )
    session.add(
        ConsentEvent(
            subscriber_id=subscriber.id,
            purpose=NEWSLETTER_PURPOSE,
            list_id=list_id,
            event=ConsentEventKind.given,
            source=ConsentSource.self_service,
            actor=principal.subject,
            occurred_at=now,
            recorded_at=now,
            legal_text_hash=text_hash,
        )
    )
    session.flush()
    consent_repository.lift_suppression(session=session, email_bidx=subscriber.email_bidx)
    audit.record(session, principal=principal, action="subscription.give_own",
                 subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip
    return _state(session, profile, _subscribers(session, vault, email), list_id)


def withdraw(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    principal: Principal,
    email: str,
    list_id: str,
) -> MySubscription:
    """Withdraws consent to a list at once, with the same effects as an unsubscribe: the address
    leaves the list (and is deleted when it is on no other list, its keyed hash kept on the
    suppression list), the provider hooks remove it there, and the ledger records the withdrawal
    while the address stays; the removal's audit events name the client. A list the address is
    not on is left as it is."""
    list_service.get_list(profile, list_id)
    subscribers = _subscribers(session, vault, email)
    before = _state(session, profile, subscribers, list_id)
    if before.state in (MySubscriptionState.subscribed, MySubscriptionState.pending):
        subscription_service.remove_address(
            session=session, vault=vault, email_bidx=email_index(session, vault, email),
            reason=SuppressionReason.withdrawn, principal=principal, list_id=list_id,
            source=ConsentSource.self_service,
        )  # fmt: skip
    return _state(session, profile, _subscribers(session, vault, email), list_id)


def _subscribers(session: Session, vault: Vault, email: str) -> Sequence[Subscriber]:
    return consent_repository.find_by_email_bidx(
        session=session, email_bidx=email_index(session, vault, email)
    )


def _holder(session: Session, subscribers: Sequence[Subscriber], list_id: str) -> Subscriber | None:
    """The subscriber to record a new consent under: one already asked for this list, else the
    first that holds the address."""
    for subscriber in subscribers:
        if subscription_repository.on_list(
            session=session, subscriber_id=subscriber.id, list_id=list_id
        ):
            return subscriber
    return subscribers[0] if subscribers else None


def _state(
    session: Session, profile: OrgProfile, subscribers: Sequence[Subscriber], list_id: str
) -> MySubscription:
    """The address's state on one list: the strongest over the subscribers holding it."""
    newsletter = profile.newsletter_lists[list_id]
    text = list_service.consent_text(profile, list_id)
    best = MySubscription(
        list_id=list_id, name_nb=newsletter.name_nb, frequency_nb=newsletter.frequency_nb,
        state=MySubscriptionState.never, since=None, legal_text=text,
        legal_text_hash=list_service.legal_text_hash(text), consented_text=None,
    )  # fmt: skip
    for subscriber in subscribers:
        subscription = subscription_repository.on_list(
            session=session, subscriber_id=subscriber.id, list_id=list_id
        )
        events = [
            e
            for e in consent_repository.events_of(session=session, subscriber_id=subscriber.id)
            if e.purpose == NEWSLETTER_PURPOSE and e.list_id == list_id
        ]
        state, since = _of(subscription, events)
        if _RANK[state] > _RANK[best.state]:
            consented = _consented_text(session, events) if state == "subscribed" else None
            best = best.model_copy(
                update={"state": state, "since": since, "consented_text": consented}
            )
    return best


def _of(
    subscription: Subscription | None, events: list[ConsentEvent]
) -> tuple[MySubscriptionState, datetime | None]:
    if subscription is not None and subscription.status == SubscriptionStatus.confirmed:
        return MySubscriptionState.subscribed, as_utc(
            subscription.confirmed_at or subscription.requested_at
        )
    if subscription is not None:
        return MySubscriptionState.pending, as_utc(subscription.requested_at)
    latest = in_order(events)[-1] if events else None
    if latest is not None and latest.event == ConsentEventKind.withdrawn:
        return MySubscriptionState.withdrawn, as_utc(latest.occurred_at)
    return MySubscriptionState.never, None


def _consented_text(session: Session, events: list[ConsentEvent]) -> str | None:
    given = [e for e in in_order(events) if e.event == ConsentEventKind.given]
    if not given or given[-1].legal_text_hash is None:
        return None
    found = session.get(LegalText, given[-1].legal_text_hash)
    return found.text if found else None

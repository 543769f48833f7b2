"""Every query on subscriptions and the e-mail waiting to be sent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from vern.consent.consents.models import Subscriber
from vern.consent.mail.models import MailMessage
from vern.consent.subscriptions.models import Subscription, SubscriptionStatus


def get(*, session: Session, subscription_id: uuid.UUID) -> Subscription | None:
    return session.get(Subscription, subscription_id)


def of_subscriber(*, session: Session, subscriber_id: uuid.UUID) -> Sequence[Subscription]:
    """A subscriber's subscriptions, by list."""
    query = (
        select(Subscription)
        .where(Subscription.subscriber_id == subscriber_id)
        .order_by(col(Subscription.list_id))
    )
    return session.exec(query).all()


def on_list(
    *, session: Session, subscriber_id: uuid.UUID, list_id: str, for_change: bool = False
) -> Subscription | None:
    """The subscriber's subscription to a list. `for_change` locks the subscriber's row first
    (PostgreSQL), so two requests for the same address and list at once take turns, and the
    second finds the subscription the first made instead of inserting a second one."""
    if for_change:
        session.exec(select(Subscriber.id).where(Subscriber.id == subscriber_id).with_for_update())
    query = select(Subscription).where(
        Subscription.subscriber_id == subscriber_id, Subscription.list_id == list_id
    )
    return session.exec(query).first()


def by_confirmation_hash(*, session: Session, token_hashes: Sequence[str]) -> Subscription | None:
    """The subscription whose confirmation token has one of these hashes (one per key)."""
    query = select(Subscription).where(col(Subscription.confirmation_token_hash).in_(token_hashes))
    return session.exec(query).first()


def by_unsubscribe_hash(*, session: Session, token_hashes: Sequence[str]) -> Subscription | None:
    """The subscription whose unsubscribe token has one of these hashes (one per key)."""
    query = select(Subscription).where(col(Subscription.unsubscribe_token_hash).in_(token_hashes))
    return session.exec(query).first()


def expired_pending(
    *, session: Session, until: datetime, limit: int | None = None
) -> Sequence[Subscription]:
    """Unconfirmed subscriptions whose confirmation link expires before `until`, oldest first."""
    query = (
        select(Subscription)
        .where(Subscription.status == SubscriptionStatus.pending)
        .where(col(Subscription.confirmation_expires_at) < until)
        .order_by(col(Subscription.confirmation_expires_at), col(Subscription.id))
    )
    if limit is not None:
        query = query.limit(limit)
    return session.exec(query).all()


def counts_by_list(*, session: Session) -> dict[tuple[str, str], int]:
    """How many subscriptions each list has, by status (numbers only)."""
    query = select(col(Subscription.list_id), col(Subscription.status), func.count()).group_by(
        col(Subscription.list_id), col(Subscription.status)
    )
    return {(row[0], str(row[1])): int(row[2]) for row in session.exec(query)}


def delete_subscription(*, session: Session, subscription: Subscription) -> None:
    session.delete(subscription)
    session.flush()


def delete_all_of(*, session: Session, subscriber_id: uuid.UUID) -> None:
    """Deletes a subscriber's subscriptions and the e-mail waiting to go to them."""
    session.exec(delete(Subscription).where(col(Subscription.subscriber_id) == subscriber_id))
    session.exec(delete(MailMessage).where(col(MailMessage.subscriber_id) == subscriber_id))
    session.flush()

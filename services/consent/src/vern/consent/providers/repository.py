"""Every query of the provider sync."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from vern.consent.consents.models import Subscriber, SuppressedAddress
from vern.consent.providers.models import ProviderContact
from vern.consent.subscriptions.models import Subscription, SubscriptionStatus
from vern.consent.webhooks.repository import chunks


def confirmed(*, session: Session) -> Sequence[tuple[Subscriber, str]]:
    """Every confirmed subscription, with its subscriber and list."""
    query = (
        select(Subscriber, Subscription.list_id)
        .join(Subscription, col(Subscription.subscriber_id) == col(Subscriber.id))
        .where(Subscription.status == SubscriptionStatus.confirmed)
        .order_by(col(Subscriber.created_at), col(Subscriber.id), col(Subscription.list_id))
    )
    return [(row[0], row[1]) for row in session.exec(query).all()]


def suppressed_among(*, session: Session, email_bidxs: Collection[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(sorted(set(email_bidxs))):
        query = select(SuppressedAddress.email_bidx).where(
            col(SuppressedAddress.email_bidx).in_(part)
        )
        found.update(session.exec(query).all())
    return found


def contacts(*, session: Session) -> Sequence[ProviderContact]:
    """Every contact Vern has pushed, oldest first."""
    query = select(ProviderContact).order_by(
        col(ProviderContact.pushed_at), col(ProviderContact.id)
    )
    return session.exec(query).all()


def add(*, session: Session, contact: ProviderContact) -> None:
    session.add(contact)
    session.flush()


def delete(*, session: Session, contact: ProviderContact) -> None:
    session.delete(contact)
    session.flush()

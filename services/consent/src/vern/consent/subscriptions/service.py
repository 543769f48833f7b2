"""The rules for newsletter subscriptions: double opt-in, one-click unsubscribe, a new link for
someone who lost theirs. Removing an address is `removal` (re-exported here: `remove_address`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from vern.consent.blindindex import email_index
from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import (
    ConsentEvent,
    ConsentEventKind,
    ConsentSource,
    Subscriber,
    SuppressionReason,
)
from vern.consent.lists import service as list_service
from vern.consent.lists.service import NEWSLETTER_PURPOSE
from vern.consent.mail import service as mail_service
from vern.consent.subscriptions import repository as subscription_repository
from vern.consent.subscriptions import tokens
from vern.consent.subscriptions.models import Subscription, SubscriptionStatus
from vern.consent.subscriptions.removal import (
    EMAIL_CONTEXT,
    actor_principal,
    delete_subscriber,
    email_of,
    remove_address,
)
from vern.kit import audit
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.errors import NotFound
from vern.kit.orgprofile.schema import OrgProfile

# Actors recorded for what a person does through a public page (no login): ids, never addresses.
WEB_FORM_ACTOR = "web_form"
EMAIL_LINK_ACTOR = "email_link"
__all__ = [
    "EMAIL_CONTEXT",
    "actor_principal",
    "delete_subscriber",
    "email_of",
    "remove_address",
]


@dataclass(frozen=True)
class Links:
    """Where the public pages live and what goes into e-mails (from settings)."""

    base_url: str
    mail_from: str
    unsubscribe_mailto: str | None = None
    # The SPA's unsubscribe page for links in e-mails' text (None: consent's own page).
    unsubscribe_page_url: str | None = None

    def unsubscribe_link(self, token: str) -> str:
        return tokens.unsubscribe_link(
            base_url=self.base_url, page_url=self.unsubscribe_page_url, token=token
        )


# -- subscribing (double opt-in) ------------------------------------------------------------


def request_subscription(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    links: Links,
    email: str,
    list_id: str,
    ip_network: str | None,
    valid_for: timedelta,
) -> None:
    """Asks the address to confirm a subscription. Whatever the address's state (new, pending,
    confirmed, suppressed), the caller sees the same answer and one e-mail is queued, so the
    answer reveals nothing: a confirmed address gets a notice instead of a link."""
    newsletter = list_service.get_list(profile, list_id)
    email_bidx = email_index(session, vault, email)
    found = consent_repository.find_by_email_bidx(session=session, email_bidx=email_bidx)
    subscriber = found[0] if found else new_subscriber(session=session, vault=vault, email=email)
    subscription = subscription_repository.on_list(
        session=session, subscriber_id=subscriber.id, list_id=list_id, for_change=True
    )
    now = now_utc()
    if subscription is not None and subscription.status == SubscriptionStatus.confirmed:
        token = tokens.unsubscribe_token(vault, subscription)
        mail_service.enqueue_already_subscribed(
            session=session, vault=vault, subscriber_id=subscriber.id, to=email,
            links=links, list_name=newsletter.name_nb,
            unsubscribe_url=links.unsubscribe_link(token),
        )  # fmt: skip
        audit.record(session, principal=actor_principal(WEB_FORM_ACTOR),
                     action="subscription.request", subject_type="subscriber",
                     subject_id=subscriber.id)  # fmt: skip
        return
    if subscription is None:
        subscription = Subscription(
            subscriber_id=subscriber.id,
            list_id=list_id,
            status=SubscriptionStatus.pending,
            requested_at=now,
        )
    # A repeated request replaces the link: only the newest one confirms.
    token = tokens.new_confirmation_token()
    subscription.confirmation_token_hash = tokens.confirmation_hash(vault, token)
    subscription.confirmation_expires_at = now + valid_for
    subscription.requested_at = now
    subscription.ip_network = ip_network
    session.add(subscription)
    session.flush()
    mail_service.enqueue_confirmation(
        session=session, vault=vault, subscriber_id=subscriber.id, to=email, links=links,
        list_name=newsletter.name_nb, confirm_url=tokens.confirmation_url(links.base_url, token),
        expires_at=now + valid_for,
    )  # fmt: skip
    audit.record(session, principal=actor_principal(WEB_FORM_ACTOR), action="subscription.request",
                 subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip


def new_subscriber(*, session: Session, vault: Vault, email: str) -> Subscriber:
    """A subscriber for a (normalised) address, with their own data key; see `create_subscriber`."""
    return create_subscriber(session=session, vault=vault, email=email)[0]


def create_subscriber(
    *, session: Session, vault: Vault, email: str, subject_ref: str | None = None
) -> tuple[Subscriber, bool]:
    """A new subscriber for a (normalised) address and registry person (if any), with their own
    data key, and True; or, when another transaction has just made one for the same address and
    person, that one and False (this one's key is destroyed again)."""
    subscriber_id = uuid.uuid4()
    vault.create_subject_key(str(subscriber_id))
    subscriber = Subscriber(
        id=subscriber_id,
        subject_ref=subject_ref,
        email_ct=vault.encrypt(str(subscriber_id), email, context=EMAIL_CONTEXT) or "",
        email_bidx=email_index(session, vault, email),
        created_at=now_utc(),
    )
    held = consent_repository.add_subscriber(session=session, subscriber=subscriber)
    if held is not subscriber:
        vault.shred(str(subscriber_id))
        return held, False
    return subscriber, True


def pending_by_token(*, session: Session, vault: Vault, token: str) -> Subscription | None:
    """The pending subscription a confirmation link is for, if it has not expired."""
    subscription = subscription_repository.by_confirmation_hash(
        session=session, token_hashes=tokens.confirmation_hashes(vault, token)
    )
    if subscription is None or subscription.status != SubscriptionStatus.pending:
        return None
    expires_at = subscription.confirmation_expires_at
    if expires_at is None or expires_at <= now_utc():
        return None
    return subscription


def confirm(
    *, session: Session, vault: Vault, profile: OrgProfile, token: str
) -> Subscription | None:
    """Confirms the subscription a link is for (the explicit act of consent): the ledger records
    the consent with the text shown, and a suppression of the address is lifted."""
    subscription = pending_by_token(session=session, vault=vault, token=token)
    if subscription is None:
        return None
    subscriber = consent_repository.get(session=session, subscriber_id=subscription.subscriber_id)
    assert subscriber is not None
    text_hash = list_service.store_legal_text(
        session=session, text=list_service.consent_text(profile, subscription.list_id)
    )
    _activate(session, vault, subscription, confirmed_at=now_utc())
    session.add(
        ConsentEvent(
            subscriber_id=subscriber.id,
            purpose=NEWSLETTER_PURPOSE,
            list_id=subscription.list_id,
            event=ConsentEventKind.given,
            source=ConsentSource.web_form,
            actor=EMAIL_LINK_ACTOR,
            occurred_at=subscription.confirmed_at or now_utc(),
            recorded_at=now_utc(),
            legal_text_hash=text_hash,
        )
    )
    session.flush()
    consent_repository.lift_suppression(session=session, email_bidx=subscriber.email_bidx)
    audit.record(session, principal=actor_principal(EMAIL_LINK_ACTOR),
                 action="subscription.confirm", subject_type="subscriber",
                 subject_id=subscriber.id)  # fmt: skip
    return subscription


def _activate(
    session: Session, vault: Vault, subscription: Subscription, *, confirmed_at: datetime
) -> None:
    subscription.status = SubscriptionStatus.confirmed
    subscription.confirmed_at = confirmed_at
    subscription.confirmation_token_hash = None
    subscription.confirmation_expires_at = None
    subscription.unsubscribe_token_hash = None  # a new token, under the active key
    token = tokens.unsubscribe_token(vault, subscription)
    subscription.unsubscribe_token_hash = tokens.unsubscribe_hash(vault, token)
    session.add(subscription)
    session.flush()


def subscribe_confirmed(
    *, session: Session, vault: Vault, subscriber: Subscriber, list_id: str, at: datetime
) -> Subscription:
    """A confirmed subscription for a consent staff recorded (e.g. ticked at intake and signed)."""
    subscription = subscription_repository.on_list(
        session=session, subscriber_id=subscriber.id, list_id=list_id, for_change=True
    )
    if subscription is None:
        subscription = Subscription(
            subscriber_id=subscriber.id,
            list_id=list_id,
            status=SubscriptionStatus.pending,
            requested_at=at,
        )
        session.add(subscription)
        session.flush()
    if subscription.status != SubscriptionStatus.confirmed:
        _activate(session, vault, subscription, confirmed_at=at)
    return subscription


# -- unsubscribing --------------------------------------------------------------------------


def unsubscribe(*, session: Session, vault: Vault, token: str) -> None:
    """One-click unsubscribe (RFC 8058): removes the address from the token's list at once. An
    unknown or used token does nothing, so the answer is the same either way."""
    subscription = subscription_repository.by_unsubscribe_hash(
        session=session, token_hashes=tokens.unsubscribe_hashes(vault, token)
    )
    if subscription is None:
        return
    subscriber = consent_repository.get(session=session, subscriber_id=subscription.subscriber_id)
    assert subscriber is not None
    remove_address(
        session=session, vault=vault, email_bidx=subscriber.email_bidx,
        reason=SuppressionReason.unsubscribed, principal=actor_principal(EMAIL_LINK_ACTOR),
        list_id=subscription.list_id, source=ConsentSource.email_link,
    )  # fmt: skip


def send_unsubscribe_links(
    *, session: Session, vault: Vault, profile: OrgProfile, links: Links, email: str
) -> None:
    """For someone who lost the link: mails the address its unsubscribe links, if it has any
    confirmed subscription. Nothing in the answer says whether it had."""
    email_bidx = email_index(session, vault, email)
    for subscriber in consent_repository.find_by_email_bidx(session=session, email_bidx=email_bidx):
        confirmed = [
            s
            for s in subscription_repository.of_subscriber(
                session=session, subscriber_id=subscriber.id
            )
            if s.status == SubscriptionStatus.confirmed
        ]
        if not confirmed:
            continue
        urls = [
            (
                profile.newsletter_lists[s.list_id].name_nb
                if s.list_id in profile.newsletter_lists
                else s.list_id,
                links.unsubscribe_link(tokens.unsubscribe_token(vault, s)),
            )
            for s in confirmed
        ]
        mail_service.enqueue_unsubscribe_links(
            session=session, vault=vault, subscriber_id=subscriber.id, to=email, links=links,
            lists=urls,
        )  # fmt: skip
        audit.record(session, principal=actor_principal(WEB_FORM_ACTOR),
                     action="subscription.send_links", subject_type="subscriber",
                     subject_id=subscriber.id)  # fmt: skip


def unsubscribe_headers(
    *, vault: Vault, links: Links, subscription: Subscription
) -> dict[str, str]:
    """The `List-Unsubscribe` and `List-Unsubscribe-Post` headers for newsletters to one confirmed
    subscription, for whoever sends them (the provider sync puts them on the provider's contact)."""
    return tokens.list_unsubscribe_headers(
        base_url=links.base_url,
        token=tokens.unsubscribe_token(vault, subscription),
        mailto=links.unsubscribe_mailto,
    )


def unsubscribe_headers_for(
    *, session: Session, vault: Vault, links: Links, subscription_id: uuid.UUID
) -> dict[str, str]:
    """The unsubscribe headers of a confirmed subscription, or NotFound."""
    subscription = subscription_repository.get(session=session, subscription_id=subscription_id)
    if subscription is None or subscription.status != SubscriptionStatus.confirmed:
        raise NotFound("no such confirmed subscription")
    return unsubscribe_headers(vault=vault, links=links, subscription=subscription)

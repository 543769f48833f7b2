"""Newsletter lists (nyhetsbrev) come from the org profile: which exist, their provider, the text
a subscriber agrees to, and how many subscribe (counts only)."""

from __future__ import annotations

import hashlib

from sqlmodel import Session

from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import LegalText
from vern.consent.lists.schemas import NewsletterListRead
from vern.consent.subscriptions import repository as subscription_repository
from vern.consent.subscriptions.models import SubscriptionStatus
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.errors import FieldError, InvalidInput
from vern.kit.orgprofile.schema import NewsletterList, OrgProfile

NEWSLETTER_PURPOSE = "newsletter"


def get_list(profile: OrgProfile, list_id: str, *, field: str = "list_id") -> NewsletterList:
    """The profile's list, or a 422 naming the field."""
    found = profile.newsletter_lists.get(list_id)
    if found is None:
        raise InvalidInput(
            f"{field}: is not one of this centre's newsletter lists",
            errors=[
                FieldError(field=field, message="is not one of this centre's newsletter lists")
            ],
        )
    return found


def default_list_id(profile: OrgProfile) -> str | None:
    """The list an opt-in without a list goes to: the profile's first (e.g. the general one)."""
    return next(iter(profile.newsletter_lists), None)


def consent_text(profile: OrgProfile, list_id: str) -> str:
    """The exact consent text shown on the confirmation page (its hash goes into the ledger)."""
    newsletter = profile.newsletter_lists[list_id]
    frequency = f", {newsletter.frequency_nb}" if newsletter.frequency_nb else ""
    return (
        f"Jeg ønsker å motta «{newsletter.name_nb}» på e-post{frequency}. "
        f"{profile.org.name} er behandlingsansvarlig, og behandlingsgrunnlaget er samtykke. "
        "E-postadressen brukes bare til nyhetsbrevet og slettes når jeg melder meg av; "
        "det kan jeg gjøre når som helst med lenken i hvert nyhetsbrev."
    )


def legal_text_hash(text: str) -> str:
    """A legal text's SHA-256 (hex), the version the ledger cites."""
    return hashlib.sha256(text.encode()).hexdigest()


def store_legal_text(*, session: Session, text: str) -> str:
    """Stores a legal text once and returns its SHA-256 (hex), the version the ledger cites."""
    digest = legal_text_hash(text)
    if session.get(LegalText, digest) is None:
        consent_repository.add_legal_text(
            session=session, text_hash=digest, text=text, now=now_utc()
        )
    return digest


def list_with_counts(
    *, session: Session, profile: OrgProfile, principal: Principal
) -> list[NewsletterListRead]:
    """The profile's lists with how many confirmed and pending subscriptions each has."""
    counts = subscription_repository.counts_by_list(session=session)
    audit.record(session, principal=principal, action="newsletter_list.read",
                 subject_type="newsletter_list", subject_id=None)  # fmt: skip
    return [
        NewsletterListRead(
            id=list_id,
            name_nb=newsletter.name_nb,
            provider=newsletter.provider.value,
            provider_list_id=newsletter.provider_list_id,
            frequency_nb=newsletter.frequency_nb,
            confirmed=counts.get((list_id, SubscriptionStatus.confirmed.value), 0),
            pending=counts.get((list_id, SubscriptionStatus.pending.value), 0),
        )
        for list_id, newsletter in profile.newsletter_lists.items()
    ]

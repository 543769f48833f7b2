"""Subscribers and the consent ledger (samtykkelogg). The address is stored encrypted."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, Enum, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class ConsentEventKind(StrEnum):
    given = "given"
    withdrawn = "withdrawn"


class ConsentSource(StrEnum):
    """Where a consent event came from."""

    staff = "staff"  # recorded by the centre's staff, e.g. at intake in the registry
    web_form = "web_form"  # the person, through a form on the centre's website
    self_service = "self_service"  # the client, logged in with BankID
    email_link = "email_link"  # the person, through a link Vern e-mailed them (e.g. unsubscribe)
    provider = "provider"  # the newsletter provider reported it (unsubscribe, bounce, complaint)


class SuppressionReason(StrEnum):
    """Why an address may not be added again."""

    erasure = "erasure"  # an erasure request (GDPR Art. 17)
    withdrawn = "withdrawn"  # the consent was withdrawn through Vern
    unsubscribed = "unsubscribed"  # the subscriber unsubscribed (link, one-click, provider)
    bounced = "bounced"  # the provider reports the address does not exist
    dropped = "dropped"  # the provider refused to send to it
    spam_report = "spam_report"  # the recipient marked a newsletter as spam
    cleaned = "cleaned"  # Mailchimp removed it after repeated failures


def _label(enum: type[StrEnum]) -> Column[str]:
    # Stored as short strings, not native enum types, so new values need no type migration.
    return Column(Enum(enum, native_enum=False, length=32), nullable=False)


class Subscriber(SQLModel, table=True):
    """Someone consent holds an address for. `email_ct` is an AEAD ciphertext under the
    subscriber's own data key; `email_bidx` a keyed hash for exact lookups."""

    __tablename__ = "subscriber"
    # One subscriber per address and registry person, and one per address held for no person, so
    # that two sign-ups for a new address at once make one subscriber: the second insert waits for
    # the first and then takes its row (`subscriptions.service.new_subscriber`). Two persons may
    # share an address (a family's), each with a subscriber of their own.
    __table_args__ = (
        UniqueConstraint("email_bidx", "subject_ref"),
        Index(
            "uq_subscriber_email_bidx_no_subject_ref",
            "email_bidx",
            unique=True,
            sqlite_where=text("subject_ref IS NULL"),
            postgresql_where=text("subject_ref IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # The registry person's id when the consent came from the registry (an id, not personal data).
    subject_ref: str | None = Field(default=None, max_length=64, index=True)
    email_ct: str = Field(sa_column=Column(Text, nullable=False))
    email_bidx: str = Field(max_length=64, index=True)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ConsentEvent(SQLModel, table=True):
    """One entry of the append-only ledger: consent given or withdrawn for one purpose. The
    current state is derived from it (the latest event per purpose wins); rows are never
    updated, only deleted with their subscriber."""

    __tablename__ = "consent_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subscriber_id: uuid.UUID = Field(foreign_key="subscriber.id", index=True)
    purpose: str = Field(max_length=64)
    event: ConsentEventKind = Field(sa_column=_label(ConsentEventKind))
    source: ConsentSource = Field(sa_column=_label(ConsentSource))
    actor: str = Field(max_length=255)  # the `sub` of whoever recorded it
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    legal_text_hash: str | None = Field(default=None, max_length=64)  # SHA-256 of the text shown
    # For a newsletter consent: which of the profile's lists it is about.
    list_id: str | None = Field(default=None, max_length=64)
    # For a minor: the registry's id of the guardian who gave or withdrew it (an id, no name).
    guardian_ref: str | None = Field(default=None, max_length=64)


class LegalText(SQLModel, table=True):
    """The exact text a person was shown when consenting, stored once, keyed by its SHA-256."""

    __tablename__ = "legal_text"

    hash: str = Field(primary_key=True, max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ProcessedMessage(SQLModel, table=True):
    """A request already handled, by its `Idempotency-Key`, with the answer it got (ids only)."""

    __tablename__ = "processed_message"

    key: str = Field(primary_key=True, max_length=255)
    # A keyed hash of the request, so that a key reused for another request is refused.
    request_fingerprint: str = Field(max_length=64)
    result_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    processed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class SuppressedAddress(SQLModel, table=True):
    """An address that must not be added again (sperreliste): only its keyed hash stays, so a
    provider sync cannot re-subscribe someone who withdrew or was erased."""

    __tablename__ = "suppressed_address"

    email_bidx: str = Field(primary_key=True, max_length=64)
    reason: SuppressionReason = Field(sa_column=_label(SuppressionReason))
    # When it was (last) suppressed: an opt-in reported later but given before this is stale.
    suppressed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class ErasureReceipt(SQLModel, table=True):
    """What an erasure request did here, kept so that repeating the request repeats the answer."""

    __tablename__ = "erasure_receipt"

    request_id: str = Field(primary_key=True, max_length=64)
    receipt_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))

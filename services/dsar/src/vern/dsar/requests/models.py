"""Data subject requests. Identifiers, corrections and the access package are stored encrypted
under the request's own data key, so that shredding the key leaves only dates, outcome and keyed
hashes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, Text
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class RequestType(StrEnum):
    """The right the data subject exercises (GDPR Art. 15-18 and 21)."""

    access = "access"  # innsyn
    rectification = "rectification"  # retting
    erasure = "erasure"  # sletting
    restriction = "restriction"  # begrensning
    objection = "objection"  # protest


class Channel(StrEnum):
    self_service = "self_service"  # the client, logged in with BankID
    staff = "staff"  # staff on behalf of someone in front of them
    letter_email = "letter_email"  # staff registering a letter or an email


class RequestStatus(StrEnum):
    """Where a request stands; `vern.dsar.requests.lifecycle` says which moves are allowed."""

    received = "received"
    identity_verified = "identity_verified"
    in_progress = "in_progress"
    awaiting_approval = "awaiting_approval"
    approved = "approved"
    completed = "completed"
    failed = "failed"  # an access package could not be collected (a service did not answer)
    rejected = "rejected"
    withdrawn = "withdrawn"


class IdentityCheck(StrEnum):
    """How the requester's identity was proven."""

    bankid_login = "bankid_login"  # self-service: the BankID login (high assurance level)
    bankid_in_person = "bankid_in_person"  # staff saw a BankID check in person
    id_document = "id_document"  # staff saw a passport, driving licence or bank card with photo
    known_from_earlier_contact = "known_from_earlier_contact"  # the counsellor knows the person


class ExtensionReason(StrEnum):
    """Why the deadline is extended (GDPR Art. 12(3): complexity and number of requests)."""

    complexity = "complexity"
    number_of_requests = "number_of_requests"


class LetterChannel(StrEnum):
    """How the subject was told of an extension."""

    letter = "letter"
    email = "email"
    in_person = "in_person"
    self_service = "self_service"  # a message on the client's own page


class Approval(StrEnum):
    four_eyes = "four_eyes"  # a second staff member approved
    automatic = "automatic"  # the profile grants erasure at once (erasure_immediately)


class RejectionReason(StrEnum):
    manifestly_unfounded = "manifestly_unfounded"  # Art. 12(5)
    excessive = "excessive"  # Art. 12(5), e.g. repetitive
    identity_not_proven = "identity_not_proven"  # Art. 12(6)
    no_data_held = "no_data_held"
    legal_obligation = "legal_obligation"  # e.g. bokføringsloven, Art. 17(3)(b)


def _label(enum: type[StrEnum], *, index: bool = False, nullable: bool = False) -> Column[str]:
    # Plain strings rather than PostgreSQL enum types, so that a new status or channel is a code
    # change and not a schema change.
    return Column(Enum(enum, native_enum=False, length=32), nullable=nullable, index=index)


def _ciphertext() -> Column[str]:
    return Column(Text, nullable=True)


def _moment() -> Column[datetime]:
    return Column(UTCDateTime(), nullable=True)


class DataRequest(SQLModel, table=True):
    """One request from a data subject. `*_ct` columns hold AEAD ciphertexts under the request's
    own data key (subject id = request id); `*_bidx` columns hold keyed hashes for lookups.
    Staff are named by their token `sub`, never by name."""

    __tablename__ = "data_request"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    type: RequestType = Field(sa_column=_label(RequestType))
    channel: Channel = Field(sa_column=_label(Channel))
    status: RequestStatus = Field(sa_column=_label(RequestStatus, index=True))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    first_due_date: date  # the answer is due by this date unless extended
    due_date: date = Field(index=True)  # in force: `first_due_date`, or the extended date
    completed_at: datetime | None = Field(default=None, sa_column=_moment())
    registered_by: str | None = Field(default=None, max_length=255, index=True)
    handler: str | None = Field(default=None, max_length=255, index=True)
    identity_check: IdentityCheck | None = Field(
        default=None, sa_column=_label(IdentityCheck, nullable=True)
    )
    # Identifiers and the request's content, sealed under the request's key.
    name_ct: str | None = Field(default=None, sa_column=_ciphertext())
    national_id_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_ct: str | None = Field(default=None, sa_column=_ciphertext())
    corrections_ct: str | None = Field(default=None, sa_column=_ciphertext())
    package_ct: str | None = Field(default=None, sa_column=_ciphertext())
    national_id_bidx: str | None = Field(default=None, max_length=64, index=True)
    email_bidx: str | None = Field(default=None, max_length=64, index=True)
    # Extension (Art. 12(3)): how long, why, and when and how the subject was told.
    extension_months: int | None = None
    extension_reason: ExtensionReason | None = Field(
        default=None, sa_column=_label(ExtensionReason, nullable=True)
    )
    extension_letter_sent_date: date | None = None
    extension_letter_sent_via: LetterChannel | None = Field(
        default=None, sa_column=_label(LetterChannel, nullable=True)
    )
    extended_at: datetime | None = Field(default=None, sa_column=_moment())
    # Four-eyes approval of an erasure, or the profile's automatic grant.
    approval: Approval | None = Field(default=None, sa_column=_label(Approval, nullable=True))
    approved_by: str | None = Field(default=None, max_length=255)
    approved_at: datetime | None = Field(default=None, sa_column=_moment())
    rejection_reason: RejectionReason | None = Field(
        default=None, sa_column=_label(RejectionReason, nullable=True)
    )
    identifiers_shredded_at: datetime | None = Field(default=None, sa_column=_moment())
    error: str | None = Field(default=None, max_length=255)  # status codes only, never data
    # The erasure receipt (JWS signed by dsar): ids, categories and laws only, so it outlives
    # the shredding of the identifiers as the evidence the subject can verify.
    receipt_jws: str | None = Field(default=None, sa_column=Column(Text, nullable=True))

    @property
    def receipt_available(self) -> bool:
        return self.receipt_jws is not None

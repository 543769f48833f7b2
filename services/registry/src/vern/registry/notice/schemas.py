"""The privacy notice as data: every text in Norwegian bokmål, every code kept beside its words."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class NoticeLabel(BaseModel):
    code: str
    label: str


class LegalBasisNotice(BaseModel):
    article: Literal[6, 9]
    code: str
    text: str = Field(description='In words: "samtykke fra deg".')
    reference: str = Field(description='"personvernforordningen artikkel 6 nr. 1 bokstav a".')


class RecipientNotice(BaseModel):
    name: str
    role: NoticeLabel
    task: str
    location: str | None


class ActivityNotice(BaseModel):
    """A behandling: what, why, on which basis, about whom, from where, to whom, how long."""

    id: str
    name: str
    purpose: str
    legal_basis: list[LegalBasisNotice]
    legal_basis_note: str
    data_categories: list[NoticeLabel] = Field(description="Empty: the records are anonymous.")
    data_subjects: list[NoticeLabel]
    source: str
    recipients: list[RecipientNotice]
    stored_in: list[str]
    retention_rule: str
    retention: str = Field(description='"slettes 3 år etter siste kontakt med faglig veileder".')
    daily_responsibility: str | None


class RetentionNotice(BaseModel):
    """A retention rule, and how the centre makes sure it holds."""

    id: str
    what: str
    clock: str
    retention: str
    enforcement: list[str]


class NewsletterNotice(BaseModel):
    id: str
    name: str
    provider: str
    frequency: str | None


class RightNotice(BaseModel):
    code: str
    title: str
    text: str
    reference: str


class NoticeContact(BaseModel):
    title: str
    name: str | None = None
    email: str
    phone: str | None = None


class NoticeAddress(BaseModel):
    street: str
    postal_code: str
    city: str
    note: str | None


class NoticeDeadlines(BaseModel):
    answer: str = Field(description='"Vi svarer kostnadsfritt og senest innen 30 dager."')
    extension: str
    breach_authority: str
    breach_subjects: str


class PrivacyNotice(BaseModel):
    """The personvernerklæring of the centre this registry serves."""

    language: Literal["nb"] = "nb"
    title: str
    org_name: str
    org_number: str | None
    website: str
    address: NoticeAddress
    controller: NoticeContact
    dpo: NoticeContact | None
    no_dpo: str | None = Field(description="What to do when the centre has no DPO.")
    activities: list[ActivityNotice]
    retention: list[RetentionNotice]
    newsletters: list[NewsletterNotice]
    rights: list[RightNotice]
    self_service_url: str = Field(description="Mine opplysninger: the client's own page.")
    erasure: str
    children: str | None
    anonymity: str | None
    deadlines: NoticeDeadlines

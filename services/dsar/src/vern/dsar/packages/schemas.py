"""The access package as a machine-readable document: every service's export, the controller, and
the places outside Vern where the centre may hold more (checked by hand)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from vern.kit.contract import ExportResult


class PackageSubject(BaseModel):
    """The identifiers the request named, as the data subject gave them."""

    national_id: str | None
    email: str | None


class PackageController(BaseModel):
    """Who is responsible for the data (behandlingsansvarlig), and whom to ask about it."""

    name: str
    org_number: str | None
    address: str
    email: str
    phone: str
    dpo_name: str | None = None
    dpo_email: str | None = Field(default=None, description="the data protection officer's")
    dpo_phone: str | None = None


class OutsidePlace(BaseModel):
    """A system outside Vern where the org profile says some processing keeps personal data
    (a paper archive, e-mail): not searched by Vern, so named here, with who looks there."""

    system: str
    name: str
    kind_nb: str
    owner_role_nb: str
    activities_nb: list[str]


class AccessPackage(BaseModel):
    """Everything Vern's services hold about the data subject, in one machine-readable document.

    `controller` and `outside_places` came later: a package sealed before has none."""

    request_id: uuid.UUID
    generated_at: datetime
    subject: PackageSubject
    services: dict[str, ExportResult]
    controller: PackageController | None = None
    outside_places: list[OutsidePlace] = Field(default_factory=list)


class PackageLabels(BaseModel):
    """Bokmål words for the codes an access package holds (`vern.dsar.packages.labels`)."""

    categories: dict[str, str]
    fields: dict[str, str]
    values: dict[str, dict[str, str]] = Field(
        description="Coded values, by the field that holds them."
    )
    actor_kinds: dict[str, str]
    actions: dict[str, str]

"""What the breach register takes and gives. Times are UTC instants; free text is bounded."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from vern.dsar.breaches.models import BreachRisk
from vern.kit.clock import UtcMoment
from vern.kit.orgprofile.vocabulary import DataCategory

FreeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
SubjectId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\w.:-]+$")]
Count = Annotated[int, Field(ge=0, le=100_000_000)]

# The free-text fields, stored encrypted: the API name and the column that holds it.
FREE_TEXT_FIELDS = {
    "discovered_by": "discovered_by_ct",
    "description": "description_ct",
    "risk_assessment": "risk_assessment_ct",
    "consequences": "consequences_ct",
    "measures": "measures_ct",
    "late_notification_reasons": "late_notification_reasons_ct",
    "subjects_information": "subjects_information_ct",
}


class BreachCreate(BaseModel):
    """A breach as first reported; any staff member may report a suspected breach."""

    model_config = ConfigDict(extra="forbid")

    detected_at: UtcMoment
    discovered_by: ShortText | None = None
    description: FreeText
    data_categories: list[DataCategory] = Field(default_factory=list, max_length=50)
    affected_count: Count | None = None
    records_count: Count | None = None
    affected_subject_ids: list[SubjectId] = Field(default_factory=list, max_length=10_000)
    risk: BreachRisk | None = None
    risk_assessment: FreeText | None = None
    consequences: FreeText | None = None
    measures: FreeText | None = None


class BreachUpdate(BaseModel):
    """Changes by a manager or the DPO; only the fields given are changed."""

    model_config = ConfigDict(extra="forbid")

    detected_at: UtcMoment | None = None
    discovered_by: ShortText | None = None
    description: FreeText | None = None
    data_categories: list[DataCategory] | None = Field(default=None, max_length=50)
    affected_count: Count | None = None
    records_count: Count | None = None
    affected_subject_ids: list[SubjectId] | None = Field(default=None, max_length=10_000)
    risk: BreachRisk | None = None
    risk_assessment: FreeText | None = None
    consequences: FreeText | None = None
    measures: FreeText | None = None
    authority_notified_at: UtcMoment | None = None
    late_notification_reasons: FreeText | None = None
    subjects_notified_at: UtcMoment | None = None
    subjects_information: FreeText | None = None


class BreachRead(BaseModel):
    id: uuid.UUID
    detected_at: datetime
    reported_by: str
    discovered_by: str | None
    description: str | None
    data_categories: list[DataCategory]
    affected_count: int | None
    records_count: int | None
    affected_subject_ids: list[str]
    risk: BreachRisk | None
    risk_assessment: str | None
    consequences: str | None
    measures: str | None
    authority_notification_required: bool = Field(
        description="Datatilsynet must be told unless the risk is assessed as none (Art. 33(1))"
    )
    authority_deadline_at: datetime
    authority_notified_at: datetime | None
    notified_late: bool
    late_notification_reasons: str | None
    subjects_notification_required: bool = Field(
        description="The people affected must be told when the risk is high (Art. 34(1))"
    )
    subjects_deadline_at: datetime | None
    subjects_notified_at: datetime | None
    subjects_information: str | None
    created_at: datetime
    updated_at: datetime


class BreachEventRead(BaseModel):
    occurred_at: datetime
    actor: str
    roles: str
    action: str
    fields: list[str]


class CategoryLabel(BaseModel):
    category: DataCategory
    label_nb: str


class NotificationContact(BaseModel):
    role_nb: str
    name: str | None
    email: str
    phone: str | None


class BreachNotificationDraft(BaseModel):
    """A draft of the notification to Datatilsynet (Art. 33(3) a-d, in the order of Datatilsynet's
    form: description, consequences, measures, information to the people, contact)."""

    breach_id: uuid.UUID
    controller_name: str
    controller_org_number: str | None
    contact: NotificationContact
    detected_at: datetime
    authority_deadline_at: datetime
    authority_notified_at: datetime | None
    notified_late: bool
    late_notification_reasons: str | None
    description: str | None
    data_categories: list[CategoryLabel]
    affected_count: int | None
    records_count: int | None
    risk: BreachRisk | None
    risk_assessment: str | None
    likely_consequences: str | None
    measures: str | None
    subjects_notification_required: bool
    subjects_notified_at: datetime | None
    subjects_information: str | None

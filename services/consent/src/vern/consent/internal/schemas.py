"""Events other Vern services send consent (through their outboxes)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from vern.consent.consents.schemas import SUBJECT_REF_PATTERN

SubjectRef = Annotated[str, Field(pattern=SUBJECT_REF_PATTERN)]


class SubjectErased(BaseModel):
    """`subject.erased` from the registry: these people were erased there (on request or by a
    retention rule), so consent erases what it holds under their person ids too."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["subject.erased"]
    source: str = Field(max_length=32, description='the sending service, e.g. "registry"')
    subject_type: str = Field(max_length=64, description='e.g. "person"')
    subject_refs: list[SubjectRef] = Field(max_length=10_000)
    reason: str | None = Field(default=None, max_length=64)
    rule: str | None = Field(default=None, max_length=64)
    on: date | None = None


class EventHandled(BaseModel):
    erased: int = Field(description="how many of the subject refs consent held anything for")

"""`GET /registry/profile/fields`: the client record's fields the centre collects."""

from __future__ import annotations

from fastapi import APIRouter

from vern.kit.dependencies import ProfileDep
from vern.registry.persons.dependencies import PersonsCreate
from vern.registry.record_fields import service as record_fields_service
from vern.registry.record_fields.schemas import RecordFieldsRead

router = APIRouter(prefix="/profile", tags=["profile"])


@router.get("/fields", response_model=RecordFieldsRead)
def get_record_fields(profile: ProfileDep, _: PersonsCreate) -> RecordFieldsRead:
    """The fields a client record holds at this centre (the org profile's `client_record`),
    whether anonymous clients are allowed, and the age below which a guardian consents. Fields
    not listed are refused with 422 when sent."""
    return record_fields_service.record_fields(profile=profile)

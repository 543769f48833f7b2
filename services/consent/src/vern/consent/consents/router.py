"""Consents (samtykker) as staff see them: current state per purpose, and the ledger."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from vern.consent.consents import service as consent_service
from vern.consent.consents.dependencies import ConsentsRead
from vern.consent.consents.schemas import (
    SUBJECT_REF_PATTERN,
    SubscriberConsents,
    SubscriberSummary,
)
from vern.kit.db import SessionDep
from vern.kit.errors import NotFound, problem_responses

router = APIRouter(prefix="/subjects", tags=["consents"])


@router.get("", response_model=list[SubscriberSummary])
def list_subscribers(
    session: SessionDep,
    principal: ConsentsRead,
    subject_ref: Annotated[
        str, Query(pattern=SUBJECT_REF_PATTERN, description="the registry person's id")
    ],
) -> list[SubscriberSummary]:
    """The subscribers linked to one registry person."""
    return consent_service.list_for_person(
        session=session, principal=principal, subject_ref=subject_ref
    )


@router.get(
    "/{subscriber_id}/consents",
    response_model=SubscriberConsents,
    responses=problem_responses(NotFound),
)
def get_consents(
    subscriber_id: uuid.UUID, session: SessionDep, principal: ConsentsRead
) -> SubscriberConsents:
    """A subscriber's current consent per purpose (the latest event wins) and the ledger."""
    return consent_service.get_consents(
        session=session, principal=principal, subscriber_id=subscriber_id
    )

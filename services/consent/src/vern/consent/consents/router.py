"""Consents (samtykker) as staff see them: current state per purpose, and the ledger."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from vern.consent.consents import service as consent_service
from vern.consent.consents.dependencies import ConsentsRead
from vern.consent.consents.schemas import (
    SUBJECT_REF_PATTERN,
    LegalTextRead,
    SubscriberConsents,
    SubscriberSummary,
)
from vern.kit.db import SessionDep
from vern.kit.errors import NotFound, problem_responses

router = APIRouter(tags=["consents"])


@router.get("/subjects", response_model=list[SubscriberSummary])
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
    "/subjects/{subscriber_id}/consents",
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


@router.get(
    "/legal-texts/{text_hash}",
    response_model=LegalTextRead,
    responses=problem_responses(NotFound),
)
def get_legal_text(
    text_hash: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    session: SessionDep,
    _: ConsentsRead,
) -> LegalTextRead:
    """The exact text a consent in the ledger was given to (by its SHA-256)."""
    return consent_service.get_legal_text(session=session, text_hash=text_hash)

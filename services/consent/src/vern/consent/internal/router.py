"""Internal operations for other Vern services: recording consents, and the subject contract."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request, status

from vern.consent.consents import service as consent_service
from vern.consent.consents.dependencies import IdempotencyKey
from vern.consent.consents.schemas import ConsentEventCreate, ConsentRecorded
from vern.consent.internal import service as internal_service
from vern.consent.internal.schemas import EventHandled, SubjectErased
from vern.consent.mail import service as mail_service
from vern.consent.subscriptions import service as subscription_service
from vern.consent.subscriptions.dependencies import (
    Settings,
    confirmation_valid_for,
    links_of,
    schedule_mail,
    smtp_of,
)
from vern.consent.subscriptions.schemas import UnsubscribeHeaders
from vern.kit.auth import Principal, require
from vern.kit.contract import OutboxDelivery
from vern.kit.db import SessionDep
from vern.kit.dependencies import ProfileDep, VaultDep
from vern.kit.errors import Conflict, InvalidInput, NotFound, problem_responses
from vern.kit.subjects import subject_contract_router

SCOPE = "consent:internal"
Internal = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={SCOPE}))]


def _store(request: Request) -> internal_service.ConsentStore:
    return internal_service.ConsentStore(request.app.state.profile)


# The subject contract (search, export, erase, retention) plus consent's own internal operation.
router = subject_contract_router(_store, scope=SCOPE)


@router.post(
    "/consents",
    response_model=ConsentRecorded,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput, Conflict),
)
def record_consent(
    body: ConsentEventCreate,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: Settings,
    vault: VaultDep,
    profile: ProfileDep,
    principal: Internal,
    idempotency_key: IdempotencyKey,
) -> ConsentRecorded:
    """Records a consent given or withdrawn (e.g. a newsletter opt-in at intake in the registry).
    The purpose must be one the org profile bases on consent; a newsletter consent subscribes or
    unsubscribes its list (the profile's first when none is named), and a withdrawal deletes the
    address at once when it is on no other list. A newsletter consent for a suppressed address
    is not taken on trust: the address gets a confirmation e-mail instead. Idempotent per
    `Idempotency-Key`: a repeat returns the same answer and records nothing."""
    result = consent_service.record(
        session=session, vault=vault, profile=profile, links=links_of(settings),
        confirmation_valid_for=confirmation_valid_for(settings), principal=principal,
        idempotency_key=idempotency_key, data=body,
    )  # fmt: skip
    schedule_mail(request, background, session)
    return result


@router.post("/events", response_model=EventHandled, responses=problem_responses(InvalidInput))
def receive_event(
    body: SubjectErased,
    session: SessionDep,
    vault: VaultDep,
    principal: Internal,
    idempotency_key: IdempotencyKey,
) -> EventHandled:
    """`subject.erased` from the registry's outbox: erases the subscribers linked to those person
    ids (rows, ledger and keys; only each address's keyed hash stays on the suppression list).
    Idempotent per `Idempotency-Key` (the outbox message id): a redelivery repeats the answer."""
    if body.subject_type != "person" or not body.subject_refs:
        return EventHandled(erased=0)
    receipt = internal_service.erase(
        session=session, vault=vault, principal=principal,
        request_id=f"{body.source}-event:{idempotency_key}"[:64], subject_ids=body.subject_refs,
    )  # fmt: skip
    return EventHandled(erased=len(receipt.erased))


@router.get(
    "/subscriptions/{subscription_id}/unsubscribe-headers",
    response_model=UnsubscribeHeaders,
    responses=problem_responses(NotFound),
)
def unsubscribe_headers(
    subscription_id: uuid.UUID,
    session: SessionDep,
    settings: Settings,
    vault: VaultDep,
    _: Internal,
) -> UnsubscribeHeaders:
    """The `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058) header values for newsletters
    to one confirmed subscription, for whoever sends them (ids in, no address out)."""
    headers = subscription_service.unsubscribe_headers_for(
        session=session, vault=vault, links=links_of(settings), subscription_id=subscription_id
    )
    return UnsubscribeHeaders.model_validate(headers)


@router.post("/outbox/deliver", response_model=OutboxDelivery)
def deliver_mail(
    session: SessionDep, settings: Settings, vault: VaultDep, _: Internal
) -> OutboxDelivery:
    """Sends the e-mail still queued (confirmation and unsubscribe links) whose retry is due;
    for the scheduler's outbox redelivery."""
    counts = mail_service.deliver_due(session=session, vault=vault, server=smtp_of(settings))
    return OutboxDelivery(**counts)

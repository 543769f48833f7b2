"""What the data protection officer reviews in the audit log: break-glass readings of records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlmodel import Session, col, select

from vern.kit import audit
from vern.kit.audit import AuditEvent
from vern.kit.auth import Principal, require
from vern.kit.db import SessionDep
from vern.kit.pagination import Limit, Offset

router = APIRouter(prefix="/audit", tags=["audit"])
AuditReview = Annotated[Principal, Depends(require(roles={"dpo", "manager"}))]


class BreakGlassReading(BaseModel):
    """Who read which client's record without a need to know, when and why. Ids, never names."""

    event_id: uuid.UUID
    occurred_at: datetime
    actor: str
    roles: list[str]
    action: str
    subject_type: str
    subject_id: str | None
    reason: str | None


def break_glass_readings(*, session: Session, limit: int, offset: int) -> list[AuditEvent]:
    """Break-glass audit events, newest first."""
    query = (
        select(AuditEvent)
        .where(col(AuditEvent.break_glass))
        .order_by(col(AuditEvent.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.exec(query))


@router.get("/break-glass", response_model=list[BreakGlassReading])
def list_break_glass(
    session: SessionDep, principal: AuditReview, limit: Limit = 100, offset: Offset = 0
) -> list[BreakGlassReading]:
    """Every reading of a record by someone without a need to know, newest first (DPO, manager)."""
    events = break_glass_readings(session=session, limit=limit, offset=offset)
    audit.record(
        session, principal=principal, action="audit.break_glass.list", subject_type="audit",
        subject_id=None,
    )  # fmt: skip
    return [
        BreakGlassReading(
            event_id=e.event_id,
            occurred_at=e.occurred_at,
            actor=e.actor,
            roles=[r for r in e.roles.split(",") if r],
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            reason=e.reason,
        )
        for e in events
    ]

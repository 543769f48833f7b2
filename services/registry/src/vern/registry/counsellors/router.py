"""Counsellors who can be assigned clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlmodel import col, select

from vern.kit.auth import Principal, require
from vern.kit.db import SessionDep
from vern.registry.counsellors.models import Counsellor

router = APIRouter(prefix="/counsellors", tags=["counsellors"])
StaffRead = Annotated[Principal, Depends(require(roles={"counsellor", "coordinator", "manager"}))]


class CounsellorRead(BaseModel):
    id: str
    display_name: str


@router.get("", response_model=list[CounsellorRead])
def list_counsellors(session: SessionDep, _: StaffRead) -> list[CounsellorRead]:
    """Active counsellors, for assigning clients."""
    query = select(Counsellor).where(col(Counsellor.active)).order_by(col(Counsellor.display_name))
    return [CounsellorRead(id=c.id, display_name=c.display_name) for c in session.exec(query)]

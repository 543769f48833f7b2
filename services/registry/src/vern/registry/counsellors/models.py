"""Counsellors (faglige veiledere) clients can be assigned to: staff ids from the IdP, no contact data."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Counsellor(SQLModel, table=True):
    __tablename__ = "counsellor"

    id: str = Field(primary_key=True, max_length=255)  # the staff member's `sub` at the IdP
    display_name: str = Field(max_length=255)
    active: bool = True

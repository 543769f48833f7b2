"""What a reminder run reports."""

from __future__ import annotations

from pydantic import BaseModel


class ReminderRun(BaseModel):
    sent: int
    failed: int
    not_configured: bool = False

"""Anonymous statistics written when a client is registered or a contact happens (never later
derived from personal data), if the centre keeps statistics (the profile's statistics module)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from vern.kit.orgprofile import Module, OrgProfile
from vern.registry.statistics import counters


def count(session: Session, profile: OrgProfile, *, metric: str, key: str, on: date) -> None:
    """Adds one to an anonymous counter, if the centre keeps statistics."""
    if profile.modules.is_on(Module.statistics):
        counters.increment(session, metric=metric, key=key, on=on)


def age_band(birth_date: date | None, on: date) -> str:
    return counters.age_band(birth_date, on)

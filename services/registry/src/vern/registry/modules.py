"""Which registry modules the org profile switches on, and the retention periods it sets."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from vern.kit.dependencies import profile_of
from vern.kit.errors import NotFound
from vern.kit.orgprofile import Clock, Module, OrgProfile, Period


def module_on(module: Module, name_en: str) -> Callable[[Request], None]:
    """A router dependency answering 404 for every operation of a module the centre has off,
    so the API looks as if the feature did not exist."""

    def dependency(request: Request) -> None:
        if not profile_of(request).modules.is_on(module):
            raise NotFound(f"{name_en} is not in use at this centre (module '{module}' is off)")

    return dependency


def retention_period(profile: OrgProfile, clock: Clock) -> Period:
    """The period of the profile's retention rule counted from `clock`; a profile that switches
    a module on without a rule for its clock is a configuration error."""
    for rule in profile.retention_rules.values():
        if rule.clock_start is clock:
            return rule.period
    raise LookupError(f"the org profile has no retention rule whose clock starts at '{clock}'")

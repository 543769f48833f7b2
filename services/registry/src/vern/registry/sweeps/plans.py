"""Which of the org profile's retention rules the registry enforces, and on which table.

A rule is the registry's when its `enforced_by` names the registry service; its clock says
which rows it counts for: the client record (last counsellor contact, or end of counselling),
the waiting list (counsellor assigned), activity registrations (activity ended), anonymous
statistics (no longer needed).
"""

from __future__ import annotations

from dataclasses import dataclass

from vern.kit.orgprofile import Clock, OrgProfile, ServiceSweep, VernService
from vern.registry.sweeps.targets import DueDateTable, StatisticYears, Target

PERSON = DueDateTable("person", subject_type="person", keyed=True)
WAITLIST_ENTRY = DueDateTable("waitlist_entry", subject_type="waitlist_entry", keyed=True)
ACTIVITY_REGISTRATION = DueDateTable(
    "activity_registration", subject_type="activity_registration", keyed=True
)
STATISTICS = StatisticYears()

TARGET_OF_CLOCK: dict[Clock, Target] = {
    Clock.last_counsellor_contact: PERSON,
    Clock.counselling_ended: PERSON,
    Clock.counsellor_assigned: WAITLIST_ENTRY,
    Clock.activity_ended: ACTIVITY_REGISTRATION,
    Clock.no_longer_needed: STATISTICS,
}


@dataclass(frozen=True)
class RulePlan:
    """One rule the registry sweeps: its id, its rows, and the journal vendors it tells."""

    rule_id: str
    target: Target
    notifies: tuple[str, ...]


class UnenforceableRule(LookupError):
    """The profile hands the registry a rule whose clock the registry keeps no rows for."""


def registry_plans(profile: OrgProfile) -> list[RulePlan]:
    """The registry's rules, in the profile's order."""
    plans = []
    for rule_id, rule in profile.retention_rules.items():
        sweeps = [
            e
            for e in rule.enforced_by
            if isinstance(e, ServiceSweep) and e.service is VernService.registry
        ]
        if not sweeps:
            continue
        target = TARGET_OF_CLOCK.get(rule.clock_start)
        if target is None:
            raise UnenforceableRule(
                f"retention rule '{rule_id}' is enforced by the registry, but the registry keeps "
                f"no rows whose clock is '{rule.clock_start}'"
            )
        notifies = tuple(vendor for sweep in sweeps for vendor in sweep.notifies)
        plans.append(RulePlan(rule_id=rule_id, target=target, notifies=notifies))
    return plans

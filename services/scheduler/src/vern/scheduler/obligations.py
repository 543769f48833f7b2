"""What the org profile asks of the scheduler: which services sweep, which tasks go to people."""

from __future__ import annotations

from vern.kit.orgprofile import OrgProfile, OutsideSystemTask, ServiceSweep, VernService


def swept_services(profile: OrgProfile) -> list[str]:
    """The Vern services that retention rules name as enforcing them, in a stable order."""
    named = {
        enforcer.service
        for rule in profile.retention_rules.values()
        for enforcer in rule.enforced_by
        if isinstance(enforcer, ServiceSweep)
    }
    return [service.value for service in VernService if service in named]


def outside_system_tasks(profile: OrgProfile) -> list[tuple[str, OutsideSystemTask]]:
    """(retention rule id, task) for every outside system a rule hands to a person."""
    return [
        (rule_id, enforcer)
        for rule_id, rule in profile.retention_rules.items()
        for enforcer in rule.enforced_by
        if isinstance(enforcer, OutsideSystemTask)
    ]

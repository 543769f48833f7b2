"""Consistency checks that a valid schema alone cannot express: every promise has an enforcer."""

from collections.abc import Iterator
from typing import NamedTuple

from vern.kit.orgprofile.schema import (
    Duration,
    OrgProfile,
    OutsideStore,
    OutsideSystemTask,
    ProcessingActivity,
    RetentionRule,
    ServiceSweep,
    VernStore,
)
from vern.kit.orgprofile.vocabulary import (
    CLIENT_FIELD_CATEGORY,
    CLOCK_MODULE,
    SERVICE_OF_MODULE,
    SPECIAL_CATEGORIES,
    Module,
    OutsideSystemKind,
    VernService,
)


class Problem(NamedTuple):
    path: str
    message: str


def find_problems(profile: OrgProfile) -> list[Problem]:
    """Lists every inconsistency of a schema-valid profile; none means it holds together."""
    return [
        *_rule_problems(profile),
        *_activity_problems(profile),
        *_outside_system_problems(profile),
        *_setting_problems(profile),
        *_deadline_problems(profile),
    ]


def _rule_problems(profile: OrgProfile) -> Iterator[Problem]:
    used = {activity.retention_rule for activity in profile.processing_activities.values()}
    for rule_id, rule in profile.retention_rules.items():
        path = f"retention_rules.{rule_id}"
        if not rule.enforced_by:
            yield Problem(
                f"{path}.enforced_by",
                f"nothing enforces retention rule '{rule_id}': name a service sweep, "
                "an outside-system task or a legal hold",
            )
        for index, enforcer in enumerate(rule.enforced_by):
            at = f"{path}.enforced_by[{index}]"
            if isinstance(enforcer, ServiceSweep):
                yield from _sweep_problems(profile, rule_id, rule, enforcer, at)
            elif (
                isinstance(enforcer, OutsideSystemTask)
                and enforcer.outside_system not in profile.outside_systems
            ):
                yield Problem(at, f"unknown outside system '{enforcer.outside_system}'")
        if rule_id not in used:
            yield Problem(path, f"retention rule '{rule_id}' is used by no processing activity")


def _sweep_problems(
    profile: OrgProfile, rule_id: str, rule: RetentionRule, sweep: ServiceSweep, at: str
) -> Iterator[Problem]:
    module = CLOCK_MODULE.get(rule.clock_start)
    if module is None:
        yield Problem(
            at,
            f"no Vern service keeps the clock '{rule.clock_start}' of rule '{rule_id}'; "
            "use an outside-system task",
        )
    elif SERVICE_OF_MODULE[module] is not sweep.service:
        yield Problem(
            at,
            f"the clock '{rule.clock_start}' is kept by service "
            f"'{SERVICE_OF_MODULE[module]}', not '{sweep.service}'",
        )
    elif not profile.modules.is_on(module):
        yield Problem(at, f"module '{module}' is off, so nothing sweeps rule '{rule_id}'")
    for system_id in sweep.notifies:
        system = profile.outside_systems.get(system_id)
        if system is None:
            yield Problem(f"{at}.notifies", f"unknown outside system '{system_id}'")
        elif system.kind is not OutsideSystemKind.journal_vendor:
            yield Problem(f"{at}.notifies", f"'{system_id}' is not a journal vendor")
        elif not profile.modules.is_on(Module.journal_vendor):
            yield Problem(f"{at}.notifies", "module 'journal_vendor' is off")


def _activity_problems(profile: OrgProfile) -> Iterator[Problem]:
    for activity_id, activity in profile.processing_activities.items():
        path = f"processing_activities.{activity_id}"
        for index, place in enumerate(activity.stored_in):
            at = f"{path}.stored_in[{index}]"
            if isinstance(place, OutsideStore) and place.outside_system not in (
                profile.outside_systems
            ):
                yield Problem(at, f"unknown outside system '{place.outside_system}'")
            if isinstance(place, VernStore) and not profile.modules.service_is_on(place.service):
                yield Problem(at, f"no module of service '{place.service}' is on")
        rule = profile.retention_rules.get(activity.retention_rule)
        if rule is None:
            yield Problem(
                f"{path}.retention_rule", f"unknown retention rule '{activity.retention_rule}'"
            )
        else:
            yield from _coverage_problems(activity_id, activity, rule)
        special = sorted(SPECIAL_CATEGORIES.intersection(activity.data_categories))
        if special and not activity.legal_basis.article9:
            yield Problem(
                f"{path}.legal_basis.article9",
                f"special categories {', '.join(special)} need a GDPR Art. 9(2) condition",
            )


def _coverage_problems(
    activity_id: str, activity: ProcessingActivity, rule: RetentionRule
) -> Iterator[Problem]:
    """Every place an activity's data lives must have someone deleting it under its rule."""
    swept = {e.service for e in rule.enforced_by if isinstance(e, ServiceSweep)}
    tasked = {e.outside_system for e in rule.enforced_by if isinstance(e, OutsideSystemTask)}
    tasked |= {s for e in rule.enforced_by if isinstance(e, ServiceSweep) for s in e.notifies}
    for index, place in enumerate(activity.stored_in):
        at = f"processing_activities.{activity_id}.stored_in[{index}]"
        if isinstance(place, VernStore) and place.service not in swept:
            yield Problem(
                at,
                f"rule '{activity.retention_rule}' has no sweep by service '{place.service}'",
            )
        if isinstance(place, OutsideStore) and place.outside_system not in tasked:
            yield Problem(
                at,
                f"rule '{activity.retention_rule}' has no task for outside system "
                f"'{place.outside_system}'",
            )


def _setting_problems(profile: OrgProfile) -> Iterator[Problem]:
    if profile.modules.newsletter != bool(profile.newsletter_lists):
        yield Problem(
            "newsletter_lists", "module 'newsletter' is on if and only if there are lists"
        )
    disclosed = {
        category
        for activity in profile.processing_activities.values()
        if VernStore(service=VernService.registry) in activity.stored_in
        for category in activity.data_categories
    }
    for field in profile.client_record.client_fields:
        if CLIENT_FIELD_CATEGORY[field] not in disclosed:
            yield Problem(
                "client_record.client_fields",
                f"the registry collects '{field}' but no activity stored in the registry "
                f"declares the category '{CLIENT_FIELD_CATEGORY[field]}'",
            )


def _outside_system_problems(profile: OrgProfile) -> Iterator[Problem]:
    """An outside system nothing refers to is either stale or a place the notice forgets."""
    referred = {
        place.outside_system
        for activity in profile.processing_activities.values()
        for place in activity.stored_in
        if isinstance(place, OutsideStore)
    }
    for rule in profile.retention_rules.values():
        for enforcer in rule.enforced_by:
            if isinstance(enforcer, OutsideSystemTask):
                referred.add(enforcer.outside_system)
            elif isinstance(enforcer, ServiceSweep):
                referred.update(enforcer.notifies)
    for system_id in profile.outside_systems:
        if system_id not in referred:
            yield Problem(
                f"outside_systems.{system_id}",
                f"outside system '{system_id}' holds the data of no processing activity",
            )


def _months(duration: Duration) -> tuple[int, int]:
    return 12 * duration.years + duration.months, duration.days


def _deadline_problems(profile: OrgProfile) -> Iterator[Problem]:
    """GDPR Art. 12(3): an answer within one month, extended by at most two more."""
    months, days = _months(profile.deadlines.dsar_answer)
    if (months, days) > (1, 0) or (months == 0 and days > 31):
        yield Problem(
            "deadlines.dsar_answer",
            "longer than the one month GDPR Art. 12(3) allows; the notice cannot promise it",
        )
    if _months(profile.deadlines.dsar_extension_max) > (2, 0):
        yield Problem(
            "deadlines.dsar_extension_max",
            "longer than the two months GDPR Art. 12(3) allows",
        )

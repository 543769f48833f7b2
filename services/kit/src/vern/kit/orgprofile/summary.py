"""What a valid org profile makes Vern enforce, as text for `vern profile check`."""

from __future__ import annotations

from collections.abc import Iterator

from vern.kit.orgprofile.schema import (
    Enforcer,
    LegalHold,
    Location,
    OrgProfile,
    OutsideSystemTask,
    ServiceSweep,
    VernStore,
)
from vern.kit.orgprofile.vocabulary import Module
from vern.kit.orgprofile.wording import (
    MODULE_NB,
    NEWSLETTER_PROVIDER_NB,
    ROLE_NB,
    VERN_SERVICE_NB,
    duration_nb,
    frequency_nb,
    retention_nb,
)


def describe_profile(profile: OrgProfile) -> str:
    """Every rule, module, list and deadline the profile makes Vern enforce, one per line."""
    return "\n".join(_lines(profile)) + "\n"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _lines(profile: OrgProfile) -> Iterator[str]:
    yield f"{profile.org.name}: valid and consistent."
    yield from _modules(profile)
    yield from _rules(profile)
    yield from _activities(profile)
    yield from _outside_systems(profile)
    yield from _lists(profile)
    yield from _settings(profile)


def _modules(profile: OrgProfile) -> Iterator[str]:
    yield ""
    yield "Modules"
    for state in (True, False):
        names = [f"{m} ({MODULE_NB[m]})" for m in Module if profile.modules.is_on(m) is state]
        yield f"  {'on: ' if state else 'off:'} {', '.join(names) or '-'}"


def enforcer_text(profile: OrgProfile, enforcer: Enforcer) -> str:
    """Who deletes on time: a service sweep, a person's recurring task, or a law that holds."""
    if isinstance(enforcer, ServiceSweep):
        text = f"service sweep by {enforcer.service} ({VERN_SERVICE_NB[enforcer.service]})"
        if enforcer.notifies:
            text += f", telling {', '.join(enforcer.notifies)} to delete"
        return text
    if isinstance(enforcer, OutsideSystemTask):
        system = profile.outside_systems.get(enforcer.outside_system)
        name = f" ({system.name})" if system else ""
        return (
            f"outside-system task in {enforcer.outside_system}{name} for "
            f"{enforcer.owner_role} ({ROLE_NB[enforcer.owner_role]}), {frequency_nb(enforcer.every)}"
        )
    assert isinstance(enforcer, LegalHold)
    return f"legal hold: {enforcer.legal_hold}"


def _rules(profile: OrgProfile) -> Iterator[str]:
    yield ""
    yield f"Retention rules ({len(profile.retention_rules)})"
    for rule_id, rule in profile.retention_rules.items():
        used_by = [
            activity_id
            for activity_id, activity in profile.processing_activities.items()
            if activity.retention_rule == rule_id
        ]
        yield f"  {rule_id}: {rule.what_nb}"
        yield f"    clock:     {rule.clock_start}"
        yield f"    period:    {retention_nb(rule.clock_start, rule.period)}"
        for index, enforcer in enumerate(rule.enforced_by):
            label = "enforced:" if index == 0 else ""
            yield f"    {label:<10} {enforcer_text(profile, enforcer)}"
        yield f"    used by:   {', '.join(used_by)}"


def _place(place: Location) -> str:
    return place.service if isinstance(place, VernStore) else place.outside_system


def _activities(profile: OrgProfile) -> Iterator[str]:
    yield ""
    yield f"Processing activities ({len(profile.processing_activities)})"
    for activity_id, activity in profile.processing_activities.items():
        basis = [*activity.legal_basis.article6, *activity.legal_basis.article9]
        yield f"  {activity_id}: {activity.name_nb}"
        yield f"    legal basis: {', '.join(basis)}; rule {activity.retention_rule}"
        yield f"    stored in:   {', '.join(_place(p) for p in activity.stored_in)}"


def _outside_systems(profile: OrgProfile) -> Iterator[str]:
    yield ""
    yield f"Outside systems ({len(profile.outside_systems)})"
    for system_id, system in profile.outside_systems.items():
        vendor = f", vendor {system.vendor}" if system.vendor else ""
        yield f"  {system_id}: {system.name} [{system.kind}], owner {system.owner_role}{vendor}"


def _lists(profile: OrgProfile) -> Iterator[str]:
    yield ""
    yield f"Newsletter lists ({len(profile.newsletter_lists)})"
    for list_id, newsletter in profile.newsletter_lists.items():
        connected = newsletter.provider_list_id or "not connected yet"
        yield (
            f"  {list_id}: {newsletter.name_nb} via "
            f"{NEWSLETTER_PROVIDER_NB[newsletter.provider]} ({connected})"
        )


def _settings(profile: OrgProfile) -> Iterator[str]:
    deadlines = profile.deadlines
    record = profile.client_record
    yield ""
    yield "Client record"
    yield f"  fields: {', '.join(record.client_fields)}"
    yield f"  anonymous clients allowed: {_yes(record.anonymous_clients_allowed)}"
    yield f"  partner contact: {_yes(record.partner_contact)}"
    under = profile.age_rules.guardian_consent_under
    yield f"  guardian consent: {f'under {under}' if under else 'never required'}"
    yield ""
    yield "Deadlines"
    yield (
        f"  access and other requests: answered within {duration_nb(deadlines.dsar_answer)} "
        "(and never later than one calendar month), "
        f"extended by at most {duration_nb(deadlines.dsar_extension_max)}"
    )
    yield f"  breach, Datatilsynet told within: {deadlines.breach_authority_hours} hours"
    subjects = deadlines.breach_subjects_hours
    yield (
        "  breach, people at high risk told within: "
        f"{f'{subjects} hours' if subjects else 'without undue delay'}"
    )
    yield ""
    yield "Erasure"
    yield f"  at once on request: {_yes(profile.erasure.erasure_immediately)}"
    yield f"  four-eyes approval: {_yes(profile.erasure.four_eyes_approval)}"
    yield ""
    yield "Statistics"
    yield f"  reported to Bufdir: {_yes(profile.statistics.bufdir_reporting)}"
    yield f"  cells below {profile.statistics.suppression_threshold} suppressed"

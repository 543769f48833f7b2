"""The plan follows the org profile: a sweep per service its rules name, outbox redelivery per
service that is on, dsar's deadlines when dsar is on, outside systems' tasks when rules ask."""

from __future__ import annotations

from vern.kit.orgprofile import OrgProfile, load_profile
from vern.kit.settings import resolve_profile_path
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs.definitions import PROVIDER_SYNC, plan
from vern.scheduler.obligations import outside_system_tasks, swept_services


def _profile(name: str) -> OrgProfile:
    return load_profile(resolve_profile_path(f"deploy/orgs/{name}.yaml"))


def test_nok_bergen_sweeps_registry_and_consent_and_plans_every_job() -> None:
    jobs = plan(SchedulerSettings(), _profile("nokbergen"))
    assert sorted(jobs) == [
        "consent-outbox",
        "consent-retention-sweep",
        "dsar-deadlines",
        "dsar-outbox",
        "outside-system-tasks",
        "registry-outbox",
        "registry-retention-sweep",
    ]
    assert jobs["consent-retention-sweep"].service == "consent"


def test_a_service_no_rule_names_gets_no_sweep() -> None:
    profile = _profile("tryggere")
    rules = {
        rule_id: rule
        for rule_id, rule in profile.retention_rules.items()
        if rule_id != "newsletter_address"
    }
    assert "consent" not in swept_services(profile.model_copy(update={"retention_rules": rules}))


def test_without_dsar_and_breaches_there_are_no_deadline_reminders() -> None:
    profile = _profile("nokbergen")
    modules = profile.modules.model_copy(update={"dsar": False, "breaches": False})
    jobs = plan(SchedulerSettings(), profile.model_copy(update={"modules": modules}))
    assert "dsar-deadlines" not in jobs
    assert "dsar-outbox" not in jobs


def test_every_outside_system_a_rule_names_becomes_a_task_with_its_owner_and_period() -> None:
    tasks = outside_system_tasks(_profile("tryggere"))
    phone = [(rule, t) for rule, t in tasks if t.outside_system == "phone"]
    assert [(rule, t.owner_role.value, t.every.days) for rule, t in phone] == [
        ("phone_log", "manager", 7)
    ]
    assert ("counselling_record", "paper_archive") in [(r, t.outside_system) for r, t in tasks]


def _with_connected_list(profile: OrgProfile) -> OrgProfile:
    lists = {
        list_id: lst.model_copy(update={"provider_list_id": f"list-{list_id}"})
        for list_id, lst in profile.newsletter_lists.items()
    }
    return profile.model_copy(update={"newsletter_lists": lists})


def test_newsletter_providers_are_synced_only_once_a_list_is_connected() -> None:
    profile = _profile("nokbergen")
    assert PROVIDER_SYNC not in plan(SchedulerSettings(), profile)
    job = plan(SchedulerSettings(), _with_connected_list(profile))[PROVIDER_SYNC]
    assert (job.service, job.schedule) == ("consent", "every 15 minutes")
    modules = profile.modules.model_copy(update={"newsletter": False})
    switched_off = _with_connected_list(profile).model_copy(update={"modules": modules})
    assert PROVIDER_SYNC not in plan(SchedulerSettings(), switched_off)

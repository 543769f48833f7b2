"""The org profile: the reference profiles hold together, broken ones are refused, dates add up."""

import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from vern.kit.orgprofile import (
    Duration,
    ProfileError,
    find_problems,
    load_profile,
    oslo_date,
    parse_profile,
    retention_due_date,
)
from vern.kit.orgprofile.schema import Org

ORGS = Path(__file__).resolve().parents[3] / "deploy" / "orgs"


def profile_data(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ORGS / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def problems_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ProfileError) as caught:
        parse_profile(data)
    problems: dict[str, str] = {}
    for problem in caught.value.problems:  # several problems at one path read as one
        problems[problem.path] = "; ".join(
            filter(None, [problems.get(problem.path), problem.message])
        )
    return problems


# The reference profiles


@pytest.mark.parametrize("name", ["tryggere", "nokbergen"])
def test_reference_profile_loads_and_is_consistent(name: str) -> None:
    profile = load_profile(ORGS / f"{name}.yaml")

    assert find_problems(profile) == []
    assert profile.processing_activities
    assert profile.retention_rules


def test_nokbergen_keeps_its_promises_on_erasure_and_newsletters() -> None:
    profile = load_profile(ORGS / "nokbergen.yaml")

    assert profile.erasure.erasure_immediately is True
    assert set(profile.newsletter_lists) == {"general", "partners"}
    assert profile.retention_rules["waitlist_entry"].period == Duration(days=30)


def test_tryggere_has_one_mailchimp_list_and_a_three_month_phone_log() -> None:
    profile = load_profile(ORGS / "tryggere.yaml")

    assert [n.provider for n in profile.newsletter_lists.values()] == ["mailchimp"]
    assert profile.retention_rules["phone_log"].period == Duration(months=3)


# Refused profiles


def test_unknown_key_is_refused_with_its_path() -> None:
    data = profile_data("tryggere")
    data["retention_rules"]["phone_log"]["keep_forever"] = True

    problems = problems_of(data)

    assert problems["retention_rules.phone_log.keep_forever"] == "unknown key"


def test_misspelt_key_is_refused_with_its_path_and_the_key_it_resembles() -> None:
    data = profile_data("tryggere")
    basis = data["processing_activities"]["newsletter"]["legal_basis"]
    basis["articel6"] = basis.pop("article6")

    with pytest.raises(ProfileError) as caught:
        parse_profile(data, source="tryggere.yaml")

    text = str(caught.value)
    assert (
        "processing_activities.newsletter.legal_basis.articel6: unknown key "
        "(did you mean 'article6'?)" in text
    )
    assert "processing_activities.newsletter.legal_basis.article6: required key is missing" in text


def test_misspelt_key_inside_an_enforcer_is_refused_with_its_path() -> None:
    data = profile_data("tryggere")
    task = data["retention_rules"]["phone_log"]["enforced_by"][0]
    task["evry"] = task.pop("every")

    problems = problems_of(data)

    assert problems["retention_rules.phone_log.enforced_by[0].evry"].startswith("unknown key")


def test_id_that_is_not_lower_snake_case_is_refused_at_its_own_path() -> None:
    data = profile_data("nokbergen")
    data["retention_rules"]["Waitlist-Entry"] = data["retention_rules"]["waitlist_entry"]

    problems = problems_of(data)

    assert problems["retention_rules.Waitlist-Entry"].startswith("not a valid id")


def test_unknown_code_lists_the_codes_that_are_allowed() -> None:
    data = profile_data("nokbergen")
    data["retention_rules"]["sms_messages"]["clock_start"] = "sometime"

    message = problems_of(data)["retention_rules.sms_messages.clock_start"]

    assert message.startswith("should be ")
    assert "'last_activity'" in message


def test_validator_messages_lose_pydantics_prefix() -> None:
    data = profile_data("nokbergen")
    data["retention_rules"]["sms_messages"]["period"] = {"days": 0}

    message = problems_of(data)["retention_rules.sms_messages.period"]

    assert message == 'a period of zero; write "immediately" instead'


def test_unknown_top_level_key_is_refused() -> None:
    data = profile_data("nokbergen")
    data["fax"] = "+4755904991"

    assert "fax" in problems_of(data)


def test_rule_that_nothing_enforces_is_refused_naming_the_rule() -> None:
    data = profile_data("tryggere")
    del data["retention_rules"]["phone_log"]["enforced_by"]

    problems = problems_of(data)

    assert "'phone_log'" in problems["retention_rules.phone_log.enforced_by"]
    assert "nothing enforces" in problems["retention_rules.phone_log.enforced_by"]


def test_rule_with_an_empty_enforcer_list_is_refused_naming_the_rule() -> None:
    data = profile_data("nokbergen")
    data["retention_rules"]["sms_messages"]["enforced_by"] = []

    assert "'sms_messages'" in problems_of(data)["retention_rules.sms_messages.enforced_by"]


def test_enforcer_that_is_none_of_the_three_kinds_is_refused() -> None:
    data = profile_data("nokbergen")
    data["retention_rules"]["sms_messages"]["enforced_by"] = [{"owner_role": "manager"}]

    problems = problems_of(data)

    assert "needs one of the keys" in problems["retention_rules.sms_messages.enforced_by[0]"]


def test_service_sweep_of_a_module_that_is_off_enforces_nothing() -> None:
    data = profile_data("nokbergen")
    data["modules"]["waitlist"] = False

    problems = problems_of(data)

    assert "module 'waitlist' is off" in problems["retention_rules.waitlist_entry.enforced_by[0]"]


def test_service_sweep_of_a_clock_no_vern_service_keeps_is_refused() -> None:
    data = profile_data("tryggere")
    data["retention_rules"]["phone_log"]["enforced_by"] = [{"service": "registry"}]

    problems = problems_of(data)

    assert "event_time" in problems["retention_rules.phone_log.enforced_by[0]"]


def test_activity_naming_an_unknown_retention_rule_is_refused() -> None:
    data = profile_data("nokbergen")
    data["processing_activities"]["sms"]["retention_rule"] = "forever"

    problems = problems_of(data)

    assert "'forever'" in problems["processing_activities.sms.retention_rule"]


def test_activity_without_a_legal_basis_is_refused() -> None:
    data = profile_data("nokbergen")
    del data["processing_activities"]["sms"]["legal_basis"]

    assert problems_of(data)["processing_activities.sms.legal_basis"] == "required key is missing"


def test_activity_with_an_empty_article_6_basis_is_refused() -> None:
    data = profile_data("nokbergen")
    data["processing_activities"]["sms"]["legal_basis"]["article6"] = []

    assert "processing_activities.sms.legal_basis.article6" in problems_of(data)


def test_activity_without_a_retention_rule_is_refused() -> None:
    data = profile_data("tryggere")
    del data["processing_activities"]["phone_log"]["retention_rule"]

    problems = problems_of(data)

    assert problems["processing_activities.phone_log.retention_rule"] == "required key is missing"


def test_rule_enforced_by_a_legal_hold_alone_is_enforced() -> None:
    data = profile_data("tryggere")
    data["outside_systems"]["archive"] = {
        "name": "Arkiv",
        "kind": "paper_archive",
        "owner_role": "manager",
    }
    data["processing_activities"]["invoicing"]["stored_in"] = [{"service": "registry"}]
    data["retention_rules"]["accounting_vouchers"]["enforced_by"] = [
        {"legal_hold": "bokføringsloven § 13"},
        {"outside_system": "archive", "owner_role": "manager", "every": {"years": 1}},
    ]

    problems = problems_of(data)

    # The hold keeps the rule enforced; only the registry copy lacks its sweep.
    assert "retention_rules.accounting_vouchers.enforced_by" not in problems
    assert "'registry'" in problems["processing_activities.invoicing.stored_in[0]"]


def test_rule_no_activity_uses_is_refused() -> None:
    data = profile_data("nokbergen")
    data["retention_rules"]["spare"] = data["retention_rules"]["sms_messages"]

    assert "no processing activity" in problems_of(data)["retention_rules.spare"]


def test_activity_stored_in_an_unknown_outside_system_is_refused() -> None:
    data = profile_data("nokbergen")
    data["processing_activities"]["sms"]["stored_in"] = [{"outside_system": "pager"}]

    problems = problems_of(data)

    assert "unknown outside system 'pager'" in problems["processing_activities.sms.stored_in[0]"]


def test_sweep_notifying_an_unknown_journal_vendor_is_refused() -> None:
    data = profile_data("tryggere")
    data["retention_rules"]["counselling_record"]["enforced_by"][0]["notifies"] = ["journal_x"]

    problems = problems_of(data)

    assert "'journal_x'" in problems["retention_rules.counselling_record.enforced_by[0].notifies"]


def test_outside_system_nothing_refers_to_is_refused() -> None:
    data = profile_data("nokbergen")
    data["outside_systems"]["fax"] = {"name": "Faks", "kind": "phone", "owner_role": "manager"}

    assert "'fax'" in problems_of(data)["outside_systems.fax"]


def test_answer_deadline_longer_than_one_month_is_refused() -> None:
    data = profile_data("nokbergen")
    data["deadlines"]["dsar_answer"] = {"days": 45}

    assert "one month" in problems_of(data)["deadlines.dsar_answer"]


def test_answer_deadline_of_one_month_and_a_day_is_refused() -> None:
    data = profile_data("tryggere")
    data["deadlines"]["dsar_answer"] = {"months": 1, "days": 1}

    assert "deadlines.dsar_answer" in problems_of(data)


def test_extension_longer_than_two_months_is_refused() -> None:
    data = profile_data("tryggere")
    data["deadlines"]["dsar_extension_max"] = {"months": 3}

    assert "two months" in problems_of(data)["deadlines.dsar_extension_max"]


def test_task_in_an_unknown_outside_system_is_refused() -> None:
    data = profile_data("tryggere")
    data["retention_rules"]["phone_log"]["enforced_by"][0]["outside_system"] = "fax"

    problems = problems_of(data)

    assert "'fax'" in problems["retention_rules.phone_log.enforced_by[0]"]


def test_place_where_data_lives_without_a_deletion_task_is_refused() -> None:
    data = profile_data("tryggere")
    enforcers = data["retention_rules"]["counselling_record"]["enforced_by"]
    data["retention_rules"]["counselling_record"]["enforced_by"] = [
        e for e in enforcers if e.get("outside_system") != "paper_archive"
    ]

    problems = problems_of(data)

    assert "'paper_archive'" in problems["processing_activities.counselling.stored_in[2]"]


def test_special_category_without_an_article_9_condition_is_refused() -> None:
    data = profile_data("nokbergen")
    del data["processing_activities"]["waitlist"]["legal_basis"]["article9"]

    problems = problems_of(data)

    assert "abuse_experience" in problems["processing_activities.waitlist.legal_basis.article9"]


def test_client_field_no_activity_discloses_is_refused() -> None:
    data = profile_data("tryggere")
    data["client_record"]["client_fields"].append("national_id")

    assert "'national_id'" in problems_of(data)["client_record.client_fields"]


def test_every_problem_is_listed_at_once() -> None:
    data = profile_data("nokbergen")
    data["retention_rules"]["sms_messages"]["enforced_by"] = []
    data["processing_activities"]["email"]["retention_rule"] = "forever"

    problems = problems_of(data)

    assert "retention_rules.sms_messages.enforced_by" in problems
    assert "processing_activities.email.retention_rule" in problems


def test_key_given_twice_in_the_yaml_is_refused(tmp_path: Path) -> None:
    text = (ORGS / "tryggere.yaml").read_text(encoding="utf-8")
    path = tmp_path / "twice.yaml"
    path.write_text(text.replace("modules:\n", "modules:\n  dsar: false\n", 1), encoding="utf-8")

    with pytest.raises(ProfileError, match="duplicate key 'dsar'"):
        load_profile(path)


def test_zero_period_is_refused_in_favour_of_immediately() -> None:
    with pytest.raises(ValueError, match="immediately"):
        Duration()


def test_org_number_with_a_wrong_check_digit_is_refused() -> None:
    org = profile_data("tryggere")["org"]

    assert Org.model_validate(org | {"org_number": "974760673"}).org_number == "974760673"
    with pytest.raises(ValueError, match="check digit"):
        Org.model_validate(org | {"org_number": "974760674"})


# Due dates: calendar dates in Europe/Oslo; a day the target month lacks clamps to its last day


def test_three_years_after_leap_day_is_28_february() -> None:
    assert retention_due_date(date(2024, 2, 29), Duration(years=3)) == date(2027, 2, 28)


def test_four_years_after_leap_day_is_leap_day() -> None:
    assert retention_due_date(date(2024, 2, 29), Duration(years=4)) == date(2028, 2, 29)


def test_one_month_after_31_january_in_a_leap_year_is_29_february() -> None:
    assert retention_due_date(date(2024, 1, 31), Duration(months=1)) == date(2024, 2, 29)


def test_one_month_after_31_january_in_a_common_year_is_28_february() -> None:
    assert retention_due_date(date(2023, 1, 31), Duration(months=1)) == date(2023, 2, 28)


def test_one_month_after_31_march_is_30_april() -> None:
    assert retention_due_date(date(2024, 3, 31), Duration(months=1)) == date(2024, 4, 30)


def test_months_past_december_roll_into_the_next_year() -> None:
    assert retention_due_date(date(2024, 11, 30), Duration(months=3)) == date(2025, 2, 28)


def test_years_and_months_are_added_before_days() -> None:
    assert retention_due_date(date(2024, 1, 31), Duration(months=1, days=1)) == date(2024, 3, 1)


def test_thirty_days_are_thirty_calendar_days_across_the_spring_clock_change() -> None:
    assigned = oslo_date(datetime(2024, 3, 30, 23, 30, tzinfo=UTC))  # 00:30 CET, 31 March

    assert assigned == date(2024, 3, 31)
    assert retention_due_date(assigned, Duration(days=30)) == date(2024, 4, 30)


def test_late_utc_evening_in_summer_is_the_next_day_in_oslo() -> None:
    assert oslo_date(datetime(2024, 10, 26, 22, 30, tzinfo=UTC)) == date(2024, 10, 27)


def test_late_utc_evening_after_the_autumn_clock_change_is_the_next_day_in_oslo() -> None:
    assert oslo_date(datetime(2024, 10, 27, 23, 30, tzinfo=UTC)) == date(2024, 10, 28)
    assert oslo_date(datetime(2024, 10, 27, 22, 59, tzinfo=UTC)) == date(2024, 10, 27)


def test_immediately_and_until_clock_are_due_on_the_clock_date() -> None:
    ended = date(2024, 6, 14)

    assert retention_due_date(ended, "immediately") == ended
    assert retention_due_date(ended, "until_clock") == ended


def test_naive_datetime_has_no_oslo_date() -> None:
    with pytest.raises(ValueError, match="naive"):
        oslo_date(datetime(2024, 6, 14, 12, 0))


def test_due_date_refuses_an_instant_in_place_of_a_calendar_date() -> None:
    with pytest.raises(TypeError, match="oslo_date"):
        retention_due_date(datetime(2024, 6, 14, 12, 0, tzinfo=UTC), Duration(years=3))

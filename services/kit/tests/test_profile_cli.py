"""`vern profile check`: a valid profile prints what it enforces; an invalid one exits 1."""

from pathlib import Path

import pytest
import yaml

from vern.kit.cli import main
from vern.kit.orgprofile import load_profile
from vern.kit.orgprofile.wording import retention_nb

ORGS = Path(__file__).resolve().parents[3] / "deploy" / "orgs"


@pytest.mark.parametrize("name", ["tryggere", "nokbergen"])
def test_check_prints_every_rule_in_words_and_who_enforces_it(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = load_profile(ORGS / f"{name}.yaml")

    assert main(["profile", "check", str(ORGS / f"{name}.yaml")]) == 0

    out = capsys.readouterr().out
    assert "valid and consistent" in out
    for rule_id, rule in profile.retention_rules.items():
        assert f"  {rule_id}: {rule.what_nb}" in out
        assert retention_nb(rule.clock_start, rule.period) in out
    for system_id in profile.outside_systems:
        assert f"  {system_id}: " in out
    for list_id in profile.newsletter_lists:
        assert f"  {list_id}: " in out


def test_check_names_the_enforcer_kinds_of_nokbergen(capsys: pytest.CaptureFixture[str]) -> None:
    main(["profile", "check", str(ORGS / "nokbergen.yaml")])
    out = capsys.readouterr().out

    assert "slettes 30 dager etter at faglig veileder er tildelt" in out
    assert "service sweep by registry" in out
    assert (
        "outside-system task in sms (SMS-tjenesten) for manager (daglig leder), hver måned" in out
    )
    assert "legal hold: bokføringsloven § 13" in out
    assert "off: journal_vendor (journalleverandør)" in out
    assert "access and other requests: answered within 30 dager" in out
    assert "breach, people at high risk told within: 72 hours" in out


def test_check_of_an_invalid_profile_exits_1_and_lists_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load((ORGS / "nokbergen.yaml").read_text(encoding="utf-8"))
    basis = data["processing_activities"]["newsletter"]["legal_basis"]
    basis["articel6"] = basis.pop("article6")
    data["deadlines"]["breach_authority_hours"] = 96
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert main(["profile", "check", str(broken)]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"org profile {broken} is invalid" in captured.err
    assert "processing_activities.newsletter.legal_basis.articel6: unknown key" in captured.err
    assert "deadlines.breach_authority_hours: should be less than or equal to 72" in captured.err


def test_check_of_an_inconsistent_profile_exits_1_naming_the_unenforced_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load((ORGS / "nokbergen.yaml").read_text(encoding="utf-8"))
    data["retention_rules"]["sms_messages"]["enforced_by"] = []
    data["processing_activities"]["email"]["retention_rule"] = "forever"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert main(["profile", "check", str(broken)]) == 1

    err = capsys.readouterr().err
    assert "retention_rules.sms_messages.enforced_by: nothing enforces" in err
    assert "processing_activities.email.retention_rule: unknown retention rule 'forever'" in err


def test_check_of_a_missing_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profile", "check", str(tmp_path / "none.yaml")]) == 1

    assert "cannot read" in capsys.readouterr().err


def test_check_of_a_file_that_is_not_yaml_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("org: [unclosed\n", encoding="utf-8")

    assert main(["profile", "check", str(path)]) == 1

    assert "<yaml>" in capsys.readouterr().err

"""Building the notice: rights that apply, text from the profile escaped, no DPO, docs current."""

from __future__ import annotations

from pathlib import Path

import pytest

from vern.kit.cli import main as vern_cli
from vern.kit.orgprofile import OrgProfile
from vern.registry.notice import docs
from vern.registry.notice.__main__ import main
from vern.registry.notice.service import render_html, render_markdown

from .conftest import notice_of, reference_profile, visible_text


def _with_bases(profile: OrgProfile, *bases: str) -> OrgProfile:
    activities = {
        activity_id: activity.model_copy(
            update={"legal_basis": activity.legal_basis.model_copy(update={"article6": bases})}
        )
        for activity_id, activity in profile.processing_activities.items()
    }
    return profile.model_copy(update={"processing_activities": activities})


def _rights(profile: OrgProfile) -> list[str]:
    return [right.code for right in notice_of(profile).rights]


def test_rights_that_always_apply_come_first_and_complaint_last() -> None:
    rights = _rights(reference_profile("nokbergen"))

    assert rights[:4] == ["access", "rectification", "erasure", "restriction"]
    assert rights[-1] == "complaint"


def test_objection_is_offered_only_where_a_legitimate_interest_is_the_basis() -> None:
    profile = reference_profile("nokbergen")

    assert "objection" in _rights(profile)
    assert "objection" not in _rights(_with_bases(profile, "consent"))


def test_portability_and_withdrawal_are_offered_only_where_consent_is_the_basis() -> None:
    profile = reference_profile("nokbergen")

    assert {"portability", "withdraw_consent"} <= set(_rights(profile))
    only_interests = _rights(_with_bases(profile, "legitimate_interests"))
    assert "portability" not in only_interests
    assert "withdraw_consent" not in only_interests


def test_portability_is_offered_for_a_contract_without_consent() -> None:
    rights = _rights(_with_bases(reference_profile("tryggere"), "contract"))

    assert "portability" in rights
    assert "withdraw_consent" not in rights


def test_centre_without_a_dpo_says_whom_to_ask_instead() -> None:
    notice = notice_of(reference_profile("tryggere"))

    assert notice.dpo is None
    assert notice.no_dpo is not None
    assert "daglig leder" in notice.no_dpo


def test_text_from_the_profile_is_escaped_in_html() -> None:
    profile = reference_profile("nokbergen")
    org = profile.org.model_copy(update={"name": "<script>alert(1)</script> & Co"})
    html = render_html(notice_of(profile.model_copy(update={"org": org})))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_markdown_and_html_say_the_same_retention() -> None:
    notice = notice_of(reference_profile("nokbergen"))
    markdown = render_markdown(notice)
    text = visible_text(render_html(notice))

    for rule in notice.retention:
        phrase = rule.retention[0].upper() + rule.retention[1:]
        assert phrase in markdown
        assert phrase in text


def test_rendered_notices_under_docs_are_up_to_date() -> None:
    stale = [str(path.relative_to(docs.ROOT)) for path in docs.stale()]

    assert stale == [], "run `make notices` (python -m vern.registry.notice docs)"


def test_render_command_writes_the_notice_the_docs_hold(tmp_path: Path) -> None:
    out = tmp_path / "notice.html"

    assert main(["render", str(docs.ROOT / docs.PROFILES["tryggere"]), "--out", str(out)]) == 0

    expected = docs.ROOT / "docs" / "personvernerklaering-tryggere.html"
    assert out.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")


def test_render_command_refuses_an_invalid_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("org: {}\n", encoding="utf-8")

    assert main(["render", str(broken), "--format", "json"]) == 1

    assert "org.name: required key is missing" in capsys.readouterr().err


def test_docs_check_fails_when_a_notice_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in docs.PROFILES.values():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes((docs.ROOT / path).read_bytes())
    monkeypatch.setattr(docs, "ROOT", tmp_path)
    assert main(["docs"]) == 0
    assert main(["docs", "--check"]) == 0

    notice = tmp_path / "docs" / "personvernerklaering-nokbergen.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("30 dager", "31 dager"))

    assert main(["docs", "--check"]) == 1
    assert "docs/personvernerklaering-nokbergen.md" in capsys.readouterr().err


def test_vern_profile_render_writes_the_same_notice(tmp_path: Path) -> None:
    out = tmp_path / "notice.md"
    profile = str(docs.ROOT / docs.PROFILES["nokbergen"])

    assert vern_cli(["profile", "render", profile, "--out", str(out)]) == 0

    expected = docs.ROOT / "docs" / "personvernerklaering-nokbergen.md"
    assert out.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")

"""Building the notice: rights that apply, text from the profile escaped, no DPO, docs current."""

from __future__ import annotations

from vern.kit.orgprofile import OrgProfile
from vern.registry.notice import docs
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

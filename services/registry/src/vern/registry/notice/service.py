"""Builds the privacy notice from the org profile and renders it as HTML or Markdown.

The notice promises exactly what the profile makes Vern enforce: each retention phrase comes
from the rule's clock and period, each "how" from the rule's enforcers. Words live in
`vern.kit.orgprofile.wording`.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from vern.kit.orgprofile import (
    Article6Basis,
    LegalHold,
    Location,
    OrgProfile,
    OutsideSystemTask,
    ProcessingActivity,
    RetentionRule,
    ServiceSweep,
    VernStore,
)
from vern.kit.orgprofile import wording as nb
from vern.registry.notice.schemas import (
    ActivityNotice,
    LegalBasisNotice,
    NewsletterNotice,
    NoticeAddress,
    NoticeContact,
    NoticeDeadlines,
    NoticeLabel,
    PrivacyNotice,
    RecipientNotice,
    RetentionNotice,
    RightNotice,
)

SELF_SERVICE_PATH = "/mine-opplysninger"


def self_service_url(app_public_url: str) -> str:
    """Mine opplysninger in the SPA, where a client logs in with BankID to use their rights."""
    return app_public_url.rstrip("/") + SELF_SERVICE_PATH


def build_notice(*, profile: OrgProfile, app_public_url: str) -> PrivacyNotice:
    """Gives the centre's privacy notice as data, every text in Norwegian bokmål."""
    controller = NoticeContact(
        title=profile.controller.role_title_nb,
        email=profile.controller.email,
        phone=nb.phone_nb(profile.controller.phone),
    )
    dpo = profile.dpo
    deadlines = profile.deadlines
    under = profile.age_rules.guardian_consent_under
    return PrivacyNotice(
        title=f"Personvernerklæring for {profile.org.name}",
        org_name=profile.org.name,
        org_number=profile.org.org_number,
        website=profile.org.website,
        address=NoticeAddress(
            street=profile.org.address.street,
            postal_code=profile.org.address.postal_code,
            city=profile.org.address.city,
            note=profile.org.address.note_nb,
        ),
        controller=controller,
        dpo=NoticeContact(
            title="personvernombud",
            name=dpo.name,
            email=dpo.email,
            phone=nb.phone_nb(dpo.phone) if dpo.phone else None,
        )
        if dpo
        else None,
        no_dpo=None if dpo else nb.NO_DPO_NB.format(controller=controller.title),
        activities=[
            _activity(profile, activity_id, activity)
            for activity_id, activity in profile.processing_activities.items()
        ],
        retention=[
            _retention(profile, rule_id, rule) for rule_id, rule in profile.retention_rules.items()
        ],
        newsletters=[
            NewsletterNotice(
                id=list_id,
                name=newsletter.name_nb,
                provider=nb.NEWSLETTER_PROVIDER_NB[newsletter.provider],
                frequency=newsletter.frequency_nb,
            )
            for list_id, newsletter in profile.newsletter_lists.items()
        ],
        rights=[
            RightNotice(code=code, title=words.title, text=words.text, reference=words.reference)
            for code, words in nb.RIGHTS_NB.items()
            if code in _rights_that_apply(profile)
        ],
        self_service_url=self_service_url(app_public_url),
        erasure=nb.erasure_nb(
            immediately=profile.erasure.erasure_immediately,
            four_eyes=profile.erasure.four_eyes_approval,
        ),
        children=nb.guardian_consent_nb(under) if under else None,
        anonymity=nb.ANONYMITY_NB if profile.client_record.anonymous_clients_allowed else None,
        deadlines=NoticeDeadlines(
            answer=nb.answer_nb(deadlines.dsar_answer),
            extension=nb.extension_nb(deadlines.dsar_extension_max),
            breach_authority=nb.breach_authority_nb(deadlines.breach_authority_hours),
            breach_subjects=nb.breach_subjects_nb(deadlines.breach_subjects_hours),
        ),
    )


def _rights_that_apply(profile: OrgProfile) -> set[str]:
    """Portability needs consent or contract; objection a legitimate interest or public task."""
    bases = {
        basis
        for activity in profile.processing_activities.values()
        for basis in activity.legal_basis.article6
    }
    rights = {"access", "rectification", "erasure", "restriction", "complaint"}
    if bases & {Article6Basis.consent, Article6Basis.contract}:
        rights.add("portability")
    if bases & {Article6Basis.legitimate_interests, Article6Basis.public_task}:
        rights.add("objection")
    if Article6Basis.consent in bases:
        rights.add("withdraw_consent")
    return rights


def _place(profile: OrgProfile, place: Location) -> str:
    if isinstance(place, VernStore):
        return nb.VERN_SERVICE_NB[place.service]
    return profile.outside_systems[place.outside_system].name


def _activity(
    profile: OrgProfile, activity_id: str, activity: ProcessingActivity
) -> ActivityNotice:
    basis = activity.legal_basis
    rule = profile.retention_rules[activity.retention_rule]
    return ActivityNotice(
        id=activity_id,
        name=activity.name_nb,
        purpose=activity.purpose_nb,
        legal_basis=[
            *(
                LegalBasisNotice(
                    article=6,
                    code=b,
                    text=nb.ARTICLE6_NB[b],
                    reference=nb.article6_reference(b),
                )
                for b in basis.article6
            ),
            *(
                LegalBasisNotice(
                    article=9,
                    code=c,
                    text=nb.ARTICLE9_NB[c],
                    reference=nb.article9_reference(c),
                )
                for c in basis.article9
            ),
        ],
        legal_basis_note=basis.reference_nb,
        data_categories=[
            NoticeLabel(code=c, label=nb.DATA_CATEGORY_NB[c]) for c in activity.data_categories
        ],
        data_subjects=[
            NoticeLabel(code=s, label=nb.DATA_SUBJECT_NB[s]) for s in activity.data_subjects
        ],
        source=activity.source_nb,
        recipients=[
            RecipientNotice(
                name=r.name,
                role=NoticeLabel(code=r.role, label=nb.RECIPIENT_ROLE_NB[r.role]),
                task=r.task_nb,
                location=r.location,
            )
            for r in activity.recipients
        ],
        stored_in=[_place(profile, place) for place in activity.stored_in],
        retention_rule=activity.retention_rule,
        retention=nb.retention_nb(rule.clock_start, rule.period),
        daily_responsibility=activity.daily_responsibility_nb,
    )


def _retention(profile: OrgProfile, rule_id: str, rule: RetentionRule) -> RetentionNotice:
    enforcement: list[str] = []
    for enforcer in rule.enforced_by:
        if isinstance(enforcer, ServiceSweep):
            enforcement.append(nb.sweep_nb(enforcer.service))
            for system_id in enforcer.notifies:
                system = profile.outside_systems[system_id]
                enforcement.append(nb.notify_nb(system.vendor or system.name))
        elif isinstance(enforcer, OutsideSystemTask):
            system = profile.outside_systems[enforcer.outside_system]
            enforcement.append(nb.task_nb(enforcer.owner_role, system.name, enforcer.every))
        elif isinstance(enforcer, LegalHold):
            enforcement.append(nb.legal_hold_nb(enforcer.legal_hold))
    return RetentionNotice(
        id=rule_id,
        what=rule.what_nb,
        clock=rule.clock_start,
        retention=nb.retention_nb(rule.clock_start, rule.period),
        enforcement=enforcement,
    )


def _upfirst(text: str) -> str:
    """Capitalises the first letter only (Jinja's `capitalize` would lower "Bufdir")."""
    return text[:1].upper() + text[1:]


@cache
def _templates() -> Environment:
    environment = Environment(
        loader=PackageLoader("vern.registry.notice", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["upfirst"] = _upfirst
    environment.filters["cell"] = lambda text: text.replace("|", "\\|")  # a Markdown table cell
    return environment


def render_html(notice: PrivacyNotice) -> str:
    """The notice as one accessible HTML page: lang="nb", landmarks, no script."""
    return _templates().get_template("personvernerklaering.html").render(notice=notice)


def render_markdown(notice: PrivacyNotice) -> str:
    return _templates().get_template("personvernerklaering.md").render(notice=notice)

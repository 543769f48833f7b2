"""The draft notification to Datatilsynet (melding om brudd på personopplysningssikkerheten),
as JSON and as a readable page in Norwegian, with the sections of Datatilsynet's form."""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from vern.dsar.breaches import service as breach_service
from vern.dsar.breaches.models import Breach, BreachRisk
from vern.dsar.breaches.schemas import (
    BreachNotificationDraft,
    CategoryLabel,
    NotificationContact,
)
from vern.kit.clock import OSLO
from vern.kit.crypto import Vault
from vern.kit.orgprofile.schema import OrgProfile
from vern.kit.orgprofile.vocabulary import DataCategory
from vern.kit.orgprofile.wording import DATA_CATEGORY_NB

RISK_NB = {
    None: "ikke vurdert ennå",
    BreachRisk.none: "ingen risiko",
    BreachRisk.risk: "risiko",
    BreachRisk.high_risk: "høy risiko",
}

_env = Environment(
    loader=PackageLoader("vern.dsar", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _contact(profile: OrgProfile) -> NotificationContact:
    """The data protection officer, or the controller's contact where the centre has none."""
    if profile.dpo is not None:
        return NotificationContact(
            role_nb="Personvernombud",
            name=profile.dpo.name,
            email=profile.dpo.email,
            phone=profile.dpo.phone,
        )
    controller = profile.controller
    return NotificationContact(
        role_nb=controller.role_title_nb, name=None, email=controller.email, phone=controller.phone
    )


def draft(vault: Vault, profile: OrgProfile, breach: Breach) -> BreachNotificationDraft:
    """What Art. 33(3) a-d asks for, filled in from the register and the profile."""
    read = breach_service.to_read(vault, profile, breach)
    categories = [DataCategory(c) for c in breach.data_categories]
    return BreachNotificationDraft(
        breach_id=breach.id,
        controller_name=profile.org.name,
        controller_org_number=profile.org.org_number,
        contact=_contact(profile),
        detected_at=read.detected_at,
        authority_deadline_at=read.authority_deadline_at,
        authority_notified_at=read.authority_notified_at,
        notified_late=read.notified_late,
        late_notification_reasons=read.late_notification_reasons,
        description=read.description,
        data_categories=[
            CategoryLabel(category=c, label_nb=DATA_CATEGORY_NB[c]) for c in categories
        ],
        affected_count=read.affected_count,
        records_count=read.records_count,
        risk=read.risk,
        risk_assessment=read.risk_assessment,
        likely_consequences=read.consequences,
        measures=read.measures,
        subjects_notification_required=read.subjects_notification_required,
        subjects_notified_at=read.subjects_notified_at,
        subjects_information=read.subjects_information,
    )


def _oslo(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")


def render_html(draft: BreachNotificationDraft) -> str:
    return _env.get_template("breach_notification.html").render(
        d=draft, oslo=_oslo, risk_nb=RISK_NB[draft.risk]
    )

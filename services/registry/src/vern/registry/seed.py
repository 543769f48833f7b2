"""Demo data for development: the dev IdP's counsellors and a few invented clients."""

from __future__ import annotations

from sqlmodel import Session, select

from vern.kit.app import make_vault
from vern.kit.auth import Principal
from vern.kit.db import make_engine
from vern.kit.devtoken import load_personas
from vern.kit.orgprofile import ClientField, OrgProfile, load_profile
from vern.kit.settings import ServiceSettings, resolve_profile_path
from vern.registry.counsellors.models import Counsellor
from vern.registry.persons import service as person_service
from vern.registry.persons.schemas import PersonCreate

SEEDER = Principal(subject="vern-seed", kind="machine", issuer="vern-seed")


def seed_demo(settings: ServiceSettings) -> None:
    """Loads the demo counsellors and, if the register is empty, three demo clients."""
    personas = load_personas()
    engine = make_engine(settings.database_url)
    vault = make_vault(settings, make_engine(settings.keystore_url))
    with Session(engine) as session:
        for persona in personas.values():
            if "counsellor" in persona.get("roles", []) and persona["amr"] != ["pwd"]:
                session.merge(Counsellor(id=persona["sub"], display_name=persona["name"]))
        session.commit()
        if session.exec(select(Counsellor)).first() is None or person_service.any_person(session):
            return
        counsellor = personas["counsellor"]["sub"]
        profile = load_profile(resolve_profile_path(settings.org_profile))
        for demo in DEMO_CLIENTS:
            data = PersonCreate.model_validate(
                {**_collected(demo, profile), "assigned_counsellor_id": counsellor}
            )
            person_service.create(
                session=session, vault=vault, principal=SEEDER, data=data, profile=profile
            )
        session.commit()


# Invented people: example.org addresses, made-up phone numbers.
DEMO_CLIENTS = (
    {
        "full_name": "Demo Klient En",
        "email": "demo.en@example.org",
        "phone": "+4740000001",
        "heard_about": "internet",
    },
    {
        "full_name": "Demo Klient To",
        "email": "demo.to@example.org",
        "phone": "+4740000002",
        "heard_about": "brochure",
    },
)
_FIELD = {
    "full_name": ClientField.name,
    "email": ClientField.email,
    "phone": ClientField.phone,
    "heard_about": ClientField.referral_source,
}


def _collected(demo: dict[str, str], profile: OrgProfile) -> dict[str, str]:
    """The demo fields the centre's profile collects (a client record refuses the others)."""
    on = set(profile.client_record.client_fields)
    return {name: value for name, value in demo.items() if _FIELD[name] in on}

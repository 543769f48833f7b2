"""Demo data for development: the dev IdP's counsellors and a few invented clients."""

from __future__ import annotations

from sqlmodel import Session, select

from vern.kit.app import make_vault
from vern.kit.auth import Principal
from vern.kit.db import make_engine
from vern.kit.devtoken import load_personas
from vern.kit.settings import ServiceSettings
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
        for name, heard in (("Demo Klient En", "internet"), ("Demo Klient To", "brochure")):
            data = PersonCreate.model_validate(
                {"full_name": name, "heard_about": heard, "assigned_counsellor_id": counsellor}
            )
            person_service.create(session=session, vault=vault, principal=SEEDER, data=data)
        session.commit()

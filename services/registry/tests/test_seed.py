"""The demo seed registers clients that are valid under each reference centre's profile."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select

from vern.kit.db import make_engine
from vern.kit.migrations import upgrade_service
from vern.kit.testing.plugin import Databases, ServiceSpec
from vern.registry.persons.models import Person
from vern.registry.seed import seed_demo

from .conftest import AUDIENCE


@pytest.mark.parametrize("org", ["nokbergen", "tryggere"])
def test_the_demo_seed_registers_valid_clients_for_each_centre(
    vern_service: ServiceSpec, vern_databases: Databases, org: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = vern_service.settings_class(
        environment="test",
        audience=AUDIENCE,
        org_profile=f"deploy/orgs/{org}.yaml",
        database_url=vern_databases.make(f"registry_seed_{tag}"),
        keystore_url=vern_databases.make(f"registry_seed_keys_{tag}"),
    )
    upgrade_service(vern_service.migrations, settings.database_url, settings.keystore_url)
    seed_demo(settings)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        persons = session.exec(select(Person)).all()
    engine.dispose()
    assert len(persons) == 2
    assert all(p.full_name_ct and p.assigned_counsellor_id for p in persons)

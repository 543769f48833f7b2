"""Registry test setup: the kit's pytest plugin does the rest (see vern.kit.testing.plugin)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from vern.kit.auth import TokenVerifier
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import ServiceSettings
from vern.kit.testing.plugin import ServiceSpec
from vern.registry import main
from vern.registry.config import RegistrySettings
from vern.registry.counsellors.models import Counsellor

AUDIENCE = "urn:vern:registry"
COUNSELLOR = "counsellor-1"
OTHER_COUNSELLOR = "counsellor-2"


def _create_app(settings: ServiceSettings, verifier: TokenVerifier) -> FastAPI:
    assert isinstance(settings, RegistrySettings)
    settings.deliver_after_commit = False  # the rolled-back test transaction is never delivered
    return main.create_app(settings, verifier)


@pytest.fixture(scope="session")
def vern_service() -> ServiceSpec:
    return ServiceSpec(
        name="registry",
        audience=AUDIENCE,
        settings_class=RegistrySettings,
        create_app=_create_app,
        migrations=migrations_dir(main.__file__),
    )


@pytest.fixture(autouse=True)
def counsellors(db_session: Session) -> None:
    db_session.add(Counsellor(id=COUNSELLOR, display_name="Veileder En"))
    db_session.add(Counsellor(id=OTHER_COUNSELLOR, display_name="Veileder To"))
    db_session.flush()

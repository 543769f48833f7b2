"""Registry test setup: the kit's pytest plugin does the rest (see vern.kit.testing.plugin)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from vern.kit.auth import TokenVerifier
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import ServiceSettings
from vern.kit.testing.plugin import ServiceSpec
from vern.kit.testing.tokens import TokenFactory
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


class Tokens:
    """Registry tokens for each role."""

    def __init__(self, factory: TokenFactory) -> None:
        self.factory = factory

    def staff(
        self, *roles: str, sub: str | None = None, second_factor: bool = True
    ) -> dict[str, str]:
        token = self.factory.staff(AUDIENCE, *roles, sub=sub, second_factor=second_factor)
        return {"Authorization": f"Bearer {token}"}

    def machine(self, scope: str = "registry:internal") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.factory.machine(AUDIENCE, scope)}"}


@pytest.fixture
def auth(tokens: TokenFactory) -> Tokens:
    return Tokens(tokens)

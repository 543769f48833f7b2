"""Journal API fixtures: the Tryggere profile (the centre with a journal vendor) and its clients."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile, load_profile
from vern.kit.settings import resolve_profile_path
from vern.kit.testing.tokens import Tokens
from vern.registry.persons.models import Person

from ..conftest import COUNSELLOR

NATIONAL_ID = "15076500565"  # a synthetic fødselsnummer with valid check digits
OTHER_NATIONAL_ID = "13097248022"
INTAKE = date(2025, 1, 10)
INTAKE_DUE = date(2028, 1, 10)

MakeClient = Callable[..., Person]


def profile(name: str) -> OrgProfile:
    return load_profile(resolve_profile_path(f"deploy/orgs/{name}.yaml"))


@pytest.fixture
def tryggere(vern_app: FastAPI) -> Iterator[OrgProfile]:
    """Stiftelsen Tryggere's profile, whose journal vendor (Aspit AS) the registry notifies."""
    before = vern_app.state.profile
    vern_app.state.profile = profile("tryggere")
    yield vern_app.state.profile
    vern_app.state.profile = before


@pytest.fixture
def vendor(auth: Tokens) -> dict[str, str]:
    """The journal vendor's client-credentials token."""
    return auth.machine("journal", client_id="journal-vendor")


def add_client(
    session: Session,
    vault: Vault,
    *,
    consent: bool = True,
    national_id: str | None = NATIONAL_ID,
    counsellor: str | None = COUNSELLOR,
) -> Person:
    """A client as the persons API stores one (only what the journal API reads is filled in)."""
    person = Person(
        id=uuid.uuid4(),
        created_at=datetime.now(UTC),
        intake_date=INTAKE,
        national_id_bidx=vault.blind_index("national_id", national_id) if national_id else None,
        assigned_counsellor_id=counsellor,
        journal_consent=consent,
        journal_consent_at=datetime(2025, 1, 10, 9, 0, tzinfo=UTC) if consent else None,
        retention_due_date=INTAKE_DUE,
    )
    vault.create_subject_key(str(person.id))
    session.add(person)
    session.flush()
    return person


@pytest.fixture
def make_client(db_session: Session, vern_app: FastAPI) -> MakeClient:
    def make(**kwargs: object) -> Person:
        return add_client(db_session, vern_app.state.vault, **kwargs)  # type: ignore[arg-type]

    return make

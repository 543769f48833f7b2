"""pytest plugin for Vern's services (registered as `vern` through the pytest11 entry point).

A service's `conftest.py` provides a session fixture `vern_service` returning a `ServiceSpec`.
The plugin then gives it, on SQLite or PostgreSQL (`VERN_TEST_DB=postgresql`):
a migrated database per test session, a rolled-back session per test (`db_session`), a signed
token factory (`tokens`), the app wired to both (`vern_app`), an async ASGI client (`client`) and
Authorization headers with the factory's tokens for the service's audience (`auth`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import TokenVerifier
from vern.kit.db import get_session
from vern.kit.migrations import upgrade_service
from vern.kit.settings import ServiceSettings, TrustedIssuer
from vern.kit.testing.pgserver import PostgresServer, create_database
from vern.kit.testing.tokens import TEST_ISSUER, AuthHeaders, TokenFactory


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    audience: str
    settings_class: type[ServiceSettings]
    create_app: Callable[[ServiceSettings, TokenVerifier], FastAPI]
    migrations: Path


@dataclass(frozen=True)
class Databases:
    backend: str
    make: Callable[[str], str]  # database name -> URL


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def vern_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    backend = os.environ.get("VERN_TEST_DB", "sqlite")
    if backend == "sqlite":
        root = tmp_path_factory.mktemp("db")
        yield Databases("sqlite", lambda name: f"sqlite:///{root / name}.db")
        return
    if backend != "postgresql":
        raise pytest.UsageError(f"VERN_TEST_DB must be sqlite or postgresql, not {backend!r}")
    server_url = os.environ.get("VERN_TEST_POSTGRES_URL")
    if server_url:
        yield Databases("postgresql", lambda name: create_database(server_url, name))
        return
    with PostgresServer() as server:
        yield Databases("postgresql", lambda name: server.create_database(name))


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory(TEST_ISSUER)


@pytest.fixture
def auth(vern_service: ServiceSpec, tokens: TokenFactory) -> AuthHeaders:
    """Headers for staff, client and machine tokens addressed to the service under test."""
    return AuthHeaders(
        tokens, vern_service.audience, internal_scope=f"{vern_service.name}:internal"
    )


@pytest.fixture(scope="session")
def vern_settings(vern_service: ServiceSpec, vern_databases: Databases) -> ServiceSettings:
    tag = uuid.uuid4().hex[:8]
    settings = vern_service.settings_class(
        environment="test",
        database_url=vern_databases.make(f"{vern_service.name}_{tag}"),
        keystore_url=vern_databases.make(f"{vern_service.name}_keys_{tag}"),
        audience=vern_service.audience,
        issuers=[TrustedIssuer(issuer=TEST_ISSUER, kind="staff")],
        json_logs=True,
    )
    upgrade_service(vern_service.migrations, settings.database_url, settings.keystore_url)
    return settings


@pytest.fixture(scope="session")
def vern_app(
    vern_service: ServiceSpec, vern_settings: ServiceSettings, tokens: TokenFactory
) -> FastAPI:
    verifier = TokenVerifier(vern_settings, fetch=lambda _issuer: tokens.jwks())
    return vern_service.create_app(vern_settings, verifier)


@pytest.fixture
def db_session(vern_app: FastAPI) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = vern_app.state.engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
async def client(vern_app: FastAPI, db_session: Session) -> AsyncIterator[httpx.AsyncClient]:
    """The service over ASGI, every request inside the test's rolled-back transaction."""

    def test_session() -> Iterator[Session]:
        yield db_session
        # What the commit would write, the audit chain's events last, as the commit appends them.
        db_session.flush()
        audit.append_pending(db_session)

    vern_app.dependency_overrides[get_session] = test_session
    vern_app.state.rate_limits.reset()  # the app lives for the session; each test starts afresh
    transport = httpx.ASGITransport(app=vern_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as http:
        yield http
    vern_app.dependency_overrides.pop(get_session, None)


def bearer(token: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {token}"}

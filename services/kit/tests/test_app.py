"""The service factory: start-up refuses a broken org profile; health, readiness and request ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from vern.kit.app import create_service_app
from vern.kit.orgprofile import ProfileError
from vern.kit.settings import ServiceSettings


def _settings(tmp_path: Path, **changes: object) -> ServiceSettings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": f"sqlite:///{tmp_path}/data.db",
        "keystore_url": f"sqlite:///{tmp_path}/keys.db",
        **changes,
    }
    return ServiceSettings.model_validate(values)


def test_a_service_does_not_start_with_a_profile_that_fails_validation(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("org: {name: X}\nunknown_key: 1\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="unknown_key"):
        create_service_app(
            name="demo",
            settings=_settings(tmp_path, org_profile=str(broken)),
            routers=[],
            description="",
        )


def test_health_and_readiness_answer_under_the_service_prefix(tmp_path: Path) -> None:
    app = create_service_app(name="demo", settings=_settings(tmp_path), routers=[], description="")
    with TestClient(app) as http:
        assert http.get("/demo/health").json() == {"status": "ok", "service": "demo"}
        ready = http.get("/demo/ready", headers={"X-Request-ID": "req-12345678"})
        assert ready.json()["status"] == "ready"
        assert ready.headers["x-request-id"] == "req-12345678"
        assert http.get("/health").status_code == 404


def test_production_settings_refuse_the_development_keys(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="development key"):
        _settings(tmp_path, environment="production")


def test_a_database_error_is_a_503_to_try_again_and_its_statement_is_not_logged(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A database that fails (gone, restarting, or here a table it does not have) answers 503
    problem+json with Retry-After, which callers retry, not a bare 500; the error's message,
    which quotes the statement's parameters, is not logged."""
    name = "Kari Nordmann Feilsen"
    router = APIRouter()

    @router.get("/broken")
    def broken() -> None:
        engine = create_engine(f"sqlite:///{tmp_path}/other.db")
        with engine.connect() as conn:
            conn.execute(text("SELECT id FROM missing WHERE name = :name"), {"name": name})

    app = create_service_app(
        name="demo", settings=_settings(tmp_path), routers=[router], description=""
    )
    with TestClient(app, raise_server_exceptions=False) as http:
        response = http.get("/demo/broken")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["detail"] == "the database did not answer"
    logged = capfd.readouterr()
    everything = logged.out + logged.err + caplog.text
    assert "database unavailable" in everything
    assert name not in everything

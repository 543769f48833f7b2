"""The dev stack's environment per service: SQLite files by default, given databases otherwise."""

from __future__ import annotations

from pathlib import Path

from vern.kit.devstack import DevStack


def test_a_service_without_given_databases_gets_sqlite_files_under_var(tmp_path: Path) -> None:
    env = DevStack(root=tmp_path, var=tmp_path / "var").service_env("registry")
    assert env["REGISTRY_DATABASE_URL"] == f"sqlite:///{tmp_path / 'var' / 'registry'}.db"
    assert env["REGISTRY_KEYSTORE_URL"] == f"sqlite:///{tmp_path / 'var' / 'registry'}-keys.db"


def test_given_databases_replace_the_sqlite_files_of_that_service_only(tmp_path: Path) -> None:
    stack = DevStack(
        root=tmp_path,
        var=tmp_path / "var",
        databases={"consent": ("postgresql://db/consent", "postgresql://keys/consent_keys")},
    )
    consent = stack.service_env("consent")
    assert consent["CONSENT_DATABASE_URL"] == "postgresql://db/consent"
    assert consent["CONSENT_KEYSTORE_URL"] == "postgresql://keys/consent_keys"
    assert stack.service_env("dsar")["DSAR_DATABASE_URL"].startswith("sqlite:///")

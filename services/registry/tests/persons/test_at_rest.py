"""What an attacker with a copy of the data database sees: no name, email, phone or national id."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlmodel import Session

from vern.kit.app import make_vault
from vern.kit.auth import Principal
from vern.kit.db import make_engine
from vern.kit.migrations import upgrade_service
from vern.kit.testing.plugin import Databases, ServiceSpec
from vern.registry.persons import service as person_service
from vern.registry.persons.schemas import PersonCreate

from ..conftest import AUDIENCE
from .conftest import every_field, load

PROFILE = every_field(load("nokbergen"))

SECRETS = ("Sigrid", "Fjell", "sigrid.fjell", "91234567", "15076500565", "1965-07-15")
COORDINATOR = Principal(subject="coord", kind="staff", issuer="t", roles=frozenset({"coordinator"}))


def _dump(url: str, tmp_path: Path) -> bytes:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database
        files = [Path(parsed.database), Path(f"{parsed.database}-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    pg_dump = (
        shutil.which("pg_dump")
        or next(Path("/usr/lib/postgresql").glob("*/bin/pg_dump")).as_posix()
    )
    dump = tmp_path / "registry.sql"
    subprocess.run(
        [
            pg_dump,
            "--dbname",
            parsed.set(drivername="postgresql").render_as_string(hide_password=False),
            "--file",
            str(dump),
        ],
        check=True,
    )
    return dump.read_bytes()


def test_a_dump_of_the_data_database_holds_no_plaintext_identifier(
    vern_service: ServiceSpec, vern_databases: Databases, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = vern_service.settings_class(
        environment="test",
        audience=AUDIENCE,
        database_url=vern_databases.make(f"registry_dump_{tag}"),
        keystore_url=vern_databases.make(f"registry_dump_keys_{tag}"),
    )
    upgrade_service(vern_service.migrations, settings.database_url, settings.keystore_url)
    vault = make_vault(settings, make_engine(settings.keystore_url))
    data = PersonCreate(
        full_name="Sigrid Testesen Fjell",
        email="sigrid.fjell@example.org",
        phone="912 34 567",
        national_id="15076500565",
        birth_date="1965-07-15",  # type: ignore[arg-type]
    )
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        person = person_service.create(
            session=session, vault=vault, principal=COORDINATOR, data=data, profile=PROFILE
        )
        session.commit()
        assert person_service.to_read(vault, person, PROFILE).full_name == "Sigrid Testesen Fjell"
    engine.dispose()
    dump = _dump(settings.database_url, tmp_path)
    assert (
        str(person.id).encode() in dump or person.id.hex.encode() in dump
    )  # the row is in the dump
    for secret in SECRETS:
        assert secret.encode() not in dump, secret

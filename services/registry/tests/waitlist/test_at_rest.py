"""What an attacker with a copy of the data database sees of the waiting list and the participant
lists: no name, email, phone, birth date or answer about the abuse."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlmodel import Session

from vern.kit.app import make_vault
from vern.kit.auth import Principal
from vern.kit.db import make_engine
from vern.kit.migrations import upgrade_service
from vern.kit.orgprofile import load_profile
from vern.kit.settings import resolve_profile_path
from vern.kit.testing.plugin import Databases, ServiceSpec
from vern.registry.activities import service as activity_service
from vern.registry.activities.schemas import ActivityCreate, RegistrationCreate
from vern.registry.counsellors.models import Counsellor
from vern.registry.waitlist import service as waitlist_service
from vern.registry.waitlist.schemas import WaitlistEntryCreate

from ..conftest import AUDIENCE
from .conftest import APPLICANT

SECRETS = (
    "Ingrid",
    "Haug",
    "ingrid.haug",
    "91345678",
    "1984-02-29",
    "self_affected",
    "complex",
    "Solveig",
    "solveig.lie",
    "92345678",
)
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
    target = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run([pg_dump, "--dbname", target, "--file", str(dump)], check=True)
    return dump.read_bytes()


def test_a_dump_holds_no_plaintext_of_the_waiting_list_or_participants(
    vern_service: ServiceSpec, vern_databases: Databases, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = vern_service.settings_class(
        environment="test",
        audience=AUDIENCE,
        database_url=vern_databases.make(f"registry_wl_dump_{tag}"),
        keystore_url=vern_databases.make(f"registry_wl_dump_keys_{tag}"),
    )
    upgrade_service(vern_service.migrations, settings.database_url, settings.keystore_url)
    vault = make_vault(settings, make_engine(settings.keystore_url))
    profile = load_profile(resolve_profile_path(settings.org_profile))
    engine = make_engine(settings.database_url)
    starts = datetime.now(UTC) + timedelta(days=3)
    with Session(engine) as session:
        session.add(Counsellor(id="counsellor-dump", display_name="Veileder"))
        entry = waitlist_service.create(
            session=session,
            vault=vault,
            principal=COORDINATOR,
            data=WaitlistEntryCreate.model_validate(APPLICANT),
        )
        activity = activity_service.create(
            session=session,
            principal=COORDINATOR,
            data=ActivityCreate(
                name="Kurs",
                kind="course",  # type: ignore[arg-type]
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                counsellor_id="counsellor-dump",
            ),
        )
        activity_service.register(
            session=session,
            vault=vault,
            principal=COORDINATOR,
            profile=profile,
            activity=activity,
            data=RegistrationCreate(
                full_name="Solveig Testesen Lie",
                email="solveig.lie@example.org",
                phone="923 45 678",
            ),
            at=datetime.now(UTC),
        )
        session.commit()
        entry_id = entry.id
    engine.dispose()
    dump = _dump(settings.database_url, tmp_path)
    assert str(entry_id).encode() in dump or entry_id.hex.encode() in dump  # the rows are there
    for secret in SECRETS:
        assert secret.encode() not in dump, secret

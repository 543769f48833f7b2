"""The org profile decides the client record: fields on or off, anonymity, partner, guardian."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from vern.kit.clock import add_months, today_oslo
from vern.kit.testing.tokens import Tokens

from .conftest import CLIENT, FNR, UseProfile, register

pytestmark = pytest.mark.anyio

PARTNER = {"name": "Partner Parsen", "phone": "987 65 432"}
GUARDIAN = {"name": "Omsorg Giversen", "phone": "+4798765432", "consent_date": "2026-01-10"}


def _years_ago(years: int, days: int = 0) -> str:
    born = add_months(today_oslo(), -12 * years)
    return date.fromordinal(born.toordinal() + days).isoformat()


async def _post(client: httpx.AsyncClient, auth: Tokens, **changes: object) -> httpx.Response:
    body = {k: v for k, v in {**CLIENT, **changes}.items() if v is not ...}
    return await client.post("/registry/persons", json=body, headers=auth.staff("coordinator"))


def _fields(response: httpx.Response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


async def _count(db_session: Session) -> int:
    return int(db_session.execute(text("SELECT count(*) FROM person")).scalar() or 0)


@pytest.mark.parametrize(
    ("profile", "field", "value"),
    [
        ("tryggere", "gender", "female"),  # Tryggere collects no gender
        ("tryggere", "heard_about", "internet"),
        ("tryggere", "intake_date", "2026-01-05"),
        ("tryggere", "confidentiality_declaration", {"signed_date": "2026-01-05", "version": "1"}),
        ("nokbergen", "national_id", FNR),  # neither centre collects the national id
        ("nokbergen", "partner", PARTNER),  # only Tryggere records partners
        ("nokbergen", "journal_consent", True),  # Nok. Bergen has no journal system
    ],
)
async def test_a_field_the_profile_switches_off_is_refused(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    use_profile: UseProfile,
    profile: str,
    field: str,
    value: object,
) -> None:
    use_profile(profile)
    changes: dict[str, object] = {field: value}
    if profile == "tryggere":
        changes |= {"gender": ..., "heard_about": ...} | {field: value}
    response = await _post(client, auth, **changes)
    assert response.status_code == 422, response.text
    assert _fields(response)[field] == "is not collected by this centre"
    assert await _count(db_session) == 0


async def test_a_field_the_profile_switches_off_is_not_shown(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    person = await register(client, auth, gender=..., heard_about=..., partner=PARTNER)
    for hidden in ("gender", "heard_about", "intake_date", "confidentiality_declaration"):
        assert hidden not in person
    assert person["partner"] == {"name": "Partner Parsen", "phone": "+4798765432"}
    assert person["retention_due_date"]


async def test_nok_bergen_records_the_confidentiality_declaration(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    declaration = {"signed_date": "2026-01-05", "version": "2024-1"}
    person = await register(client, auth, confidentiality_declaration=declaration)
    assert person["confidentiality_declaration"] == declaration
    assert "partner" not in person
    assert "journal_consent" not in person


async def test_anonymous_client_is_registered_without_name_or_contact_data_where_allowed(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = {"anonymous": True, "gender": "male", "birth_date": "1990-03-01"}
    response = await client.post("/registry/persons", json=body, headers=auth.staff("manager"))
    assert response.status_code == 201, response.text
    person = response.json()
    assert person["anonymous"] is True
    assert person["full_name"] is None
    assert person["email"] is None


async def test_anonymous_client_with_a_name_is_refused(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await _post(client, auth, anonymous=True)
    assert response.status_code == 422
    assert _fields(response)["full_name"] == "an anonymous client is registered without it"


async def test_tryggere_registers_no_anonymous_clients(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    response = await client.post(
        "/registry/persons", json={"anonymous": True}, headers=auth.staff("coordinator")
    )
    assert response.status_code == 422
    assert "anonymous" in _fields(response)
    assert await _count(db_session) == 0


@pytest.mark.parametrize(
    ("removed", "field"),
    [({"full_name": ...}, "full_name"), ({"email": ..., "phone": ...}, "phone")],
)
async def test_a_named_client_needs_a_name_and_a_phone_or_an_email(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    removed: dict[str, object],
    field: str,
) -> None:
    response = await _post(client, auth, **removed)
    assert response.status_code == 422
    assert field in _fields(response)
    assert await _count(db_session) == 0


async def test_a_phone_alone_is_enough_contact_data(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth, email=...)
    assert person["phone"] == "+4791234567"


async def test_a_client_under_16_without_a_guardians_consent_is_refused(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    response = await _post(client, auth, birth_date=_years_ago(16, days=1))
    assert response.status_code == 422
    assert "guardian's consent" in _fields(response)["guardian"]
    assert await _count(db_session) == 0


async def test_a_client_under_16_is_registered_with_the_guardians_consent_sealed(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    person = await register(client, auth, birth_date=_years_ago(15), guardian=GUARDIAN)
    assert person["guardian"] == {
        "name": "Omsorg Giversen",
        "phone": "+4798765432",
        "email": None,
        "consent_date": "2026-01-10",
    }
    dump = repr(db_session.execute(text("SELECT * FROM person")).all())
    assert "Omsorg" not in dump
    assert "98765432" not in dump


async def test_a_client_who_turned_16_today_needs_no_guardian(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth, birth_date=_years_ago(16))
    assert person["guardian"] is None


async def test_a_guardian_for_an_adult_is_refused(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await _post(client, auth, guardian=GUARDIAN)
    assert response.status_code == 422
    assert _fields(response)["guardian"] == "is recorded only for clients under 16"


async def test_a_guardian_needs_a_phone_or_an_email(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    guardian = {"name": "Omsorg Giversen", "consent_date": "2026-01-10"}
    response = await _post(client, auth, birth_date=_years_ago(15), guardian=guardian)
    assert response.status_code == 422
    assert "guardian" in _fields(response)


async def test_journal_consent_is_recorded_with_its_date(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    person = await register(client, auth, gender=..., heard_about=..., journal_consent=True)
    assert person["journal_consent"] is True
    assert person["journal_consent_at"] is not None

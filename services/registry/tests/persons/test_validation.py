"""Identifiers and dates over HTTP: what is accepted, and 422s naming the field, storing nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from .conftest import CLIENT, DNR, FNR, FNR_2032, HNR, register

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("national_id", [FNR, DNR, HNR, FNR_2032, "150765 00565"])
async def test_fodselsnummer_d_nummer_h_nummer_and_a_2032_number_are_accepted(
    client: httpx.AsyncClient, auth: Tokens, every_field_profile: OrgProfile, national_id: str
) -> None:
    person = await register(client, auth, national_id=national_id)
    assert person["national_id"] == national_id.replace(" ", "")
    assert person["birth_date"] == "1965-07-15"


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"national_id": "15076500566"}, "national_id", "has a wrong check digit"),
        ({"national_id": "15076500506"}, "national_id", "has a wrong check digit"),
        ({"national_id": "31026500500", "birth_date": ...}, "national_id", "holds no valid birth date"),
        ({"national_id": "15073980051", "birth_date": ...}, "national_id", "holds a birth date in the future"),
        ({"national_id": FNR, "birth_date": "1966-07-15"}, "birth_date", "does not match the national id"),
        ({"national_id": FNR_2032, "birth_date": "1965-07-16"}, "birth_date", "does not match the national id"),
        ({"birth_date": "2999-01-01"}, "birth_date", "cannot be in the future"),
        ({"birth_date": "1965-02-30"}, "birth_date", None),
        ({"phone": "12"}, "phone", "is not a valid phone number"),
        ({"email": "sigrid@"}, "email", "is not a valid email address"),
        ({"confidentiality_declaration": {"signed_date": "2999-01-01", "version": "1"}},
         "confidentiality_declaration.signed_date", "cannot be in the future"),
    ],
)  # fmt: skip
async def test_a_wrong_identifier_or_date_is_a_422_naming_the_field_and_nothing_is_stored(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    every_field_profile: OrgProfile,
    change: dict[str, object],
    field: str,
    reason: str | None,
) -> None:
    body = {k: v for k, v in {**CLIENT, **change}.items() if v is not ...}
    response = await client.post("/registry/persons", json=body, headers=auth.staff("coordinator"))
    assert response.status_code == 422, response.text
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors
    if reason is not None:
        assert errors[field] == reason
    for value in change.values():
        if isinstance(value, str):
            assert value not in response.text
    assert db_session.execute(text("SELECT count(*) FROM person")).scalar() == 0
    assert db_session.execute(text("SELECT count(*) FROM audit_event")).scalar() == 0


async def test_phone_numbers_are_stored_in_e164_with_norway_as_default(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    assert (await register(client, auth, phone="91 23 45 67"))["phone"] == "+4791234567"
    assert (await register(client, auth, phone="+46 70 123 45 67"))["phone"] == "+46701234567"

"""The access package over HTTP, as JSON and as a page: everything held about the subject in
registry and consent, and nothing about another person held beside them."""

from __future__ import annotations

import html
import json
import uuid
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from vern.kit.audit import AuditEvent
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers
from ..requests.conftest import STAFF_BODY, file_request
from ..requests.test_permissions import CALLERS, MATRIX
from .page import outline_problems, read

pytestmark = pytest.mark.anyio

OTHER = {"national_id": OTHER_NATIONAL_ID, "email": "annen.person@example.org"}
ACCESS = {**SOLVEIG, "type": "access", "identity_check": "id_document"}


def hold_two_people(services: Peers) -> dict[str, str]:
    """Solveig and another person in both stores; returns Solveig's ids."""
    ids = {"registry": str(uuid.uuid4()), "consent": str(uuid.uuid4())}
    services.registry.hold(ids["registry"], **SOLVEIG)
    services.registry.hold(str(uuid.uuid4()), **OTHER)
    services.consent.hold(ids["consent"], email=SOLVEIG["email"])
    services.consent.hold(str(uuid.uuid4()), email=OTHER["email"])
    return ids


async def package_of(
    client: httpx.AsyncClient, request_id: str, headers: dict[str, str]
) -> tuple[dict[str, Any], str]:
    as_json = await client.get(f"/dsar/requests/{request_id}/package", headers=headers)
    as_page = await client.get(f"/dsar/requests/{request_id}/package.html", headers=headers)
    assert as_json.status_code == as_page.status_code == 200, as_page.text
    assert as_page.headers["content-type"].startswith("text/html")
    assert as_page.headers["cache-control"] == "no-store"
    disposition = f'inline; filename="innsyn-{request_id}.html"'
    assert as_page.headers["content-disposition"] == disposition
    package: dict[str, Any] = as_json.json()
    return package, as_page.text


@pytest.mark.usefixtures("nokbergen")
async def test_the_package_holds_every_value_of_the_subject_and_nothing_of_another(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    ids = hold_two_people(services)
    created = await file_request(client, auth.staff("manager"), **ACCESS)
    package, page = await package_of(client, created["id"], auth.staff("dpo"))

    held = {
        service: [s["subject_id"] for s in part["subjects"]]
        for service, part in package["services"].items()
    }
    assert held == {"registry": [ids["registry"]], "consent": [ids["consent"]]}
    text = read(page).text
    for value in SOLVEIG.values():
        assert value in json.dumps(package)
        assert value in text
    for value in OTHER.values():
        assert value not in json.dumps(package)
        assert value not in page
        assert html.escape(value) not in page
    for label in ("Fødselsnummer", "E-postadresse", "Testformål", "Slettes senest 31.01.2029"):
        assert label in text
    assert "05.01.2026 kl. 10:30 ansatt (faglig veileder) leste opplysningene nei" in text


async def test_the_json_package_names_the_controller_and_the_places_outside_vern(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, nokbergen: OrgProfile
) -> None:
    hold_two_people(services)
    created = await file_request(client, auth.staff("manager"), **ACCESS)
    package, page = await package_of(client, created["id"], auth.staff("manager"))
    assert package["controller"]["name"] == nokbergen.org.name
    assert {p["system"] for p in package["outside_places"]} >= {"paper_archive", "email"}
    page_read = read(page)
    assert page_read.lang == "nb"
    assert "script" not in page_read.tags
    assert outline_problems(page_read.headings) == []


async def test_the_client_reads_their_own_package_page_after_self_service(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    hold_two_people(services)
    own = auth.client(SOLVEIG["national_id"])
    created = await file_request(client, own, type="access")
    # The package is there once the services have exported; the outside systems' manual tasks
    # may still keep the request open.
    assert created["status"] in ("in_progress", "completed")
    _, page = await package_of(client, created["id"], own)
    assert SOLVEIG["email"] in page
    assert OTHER["email"] not in page


@pytest.mark.parametrize("caller", list(MATRIX))
async def test_the_page_admits_exactly_the_callers_the_json_package_admits(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile, caller: str
) -> None:
    services.registry.hold(str(uuid.uuid4()), **SOLVEIG)
    registrar = auth.staff("counsellor", sub="counsellor-1")
    access = await file_request(client, registrar, type="access", **STAFF_BODY)
    headers = CALLERS[caller](auth)
    response = await client.get(f"/dsar/requests/{access['id']}/package.html", headers=headers)
    assert response.status_code == MATRIX[caller]["package"], response.text
    if response.status_code >= 400:
        assert SOLVEIG["national_id"] not in response.text
        assert SOLVEIG["email"] not in response.text


async def test_reading_the_page_is_audited_with_ids_only(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, db_session: Session
) -> None:
    hold_two_people(services)
    created = await file_request(client, auth.staff("manager"), **ACCESS)
    await client.get(f"/dsar/requests/{created['id']}/package.html", headers=auth.staff("dpo"))
    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "data_request.package_read")
    ).all()
    assert [e.subject_id for e in events] == [created["id"]]
    for event in db_session.exec(select(AuditEvent).order_by(col(AuditEvent.id))):
        dumped = event.model_dump_json()
        assert SOLVEIG["email"] not in dumped
        assert SOLVEIG["national_id"] not in dumped


async def test_a_request_without_a_package_has_no_page(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    erasure = await file_request(client, auth.staff("manager"), **{**ACCESS, "type": "erasure"})
    response = await client.get(
        f"/dsar/requests/{erasure['id']}/package.html", headers=auth.staff("manager")
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_package_labels_give_bokmaal_words_for_fields_values_and_actions(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.get(
        "/dsar/packages/labels", headers=auth.client(SOLVEIG["national_id"])
    )
    assert response.status_code == 200
    labels = response.json()
    assert labels["fields"]["national_id"] == "Fødselsnummer"
    assert labels["categories"]["client_record"].startswith("Opplysninger om deg")
    assert labels["values"]["gender"]["female"] == "kvinne"
    assert labels["actions"]["person.read"] == "leste opplysningene"
    assert (await client.get("/dsar/packages/labels")).status_code == 401

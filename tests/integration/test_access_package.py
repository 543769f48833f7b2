"""An access package over real processes: two clients in the registry and consent, each with
contacts, a newsletter consent and a subscription; an access request for one of them returns,
as JSON and as a readable page, every value stored about that one and nothing about the other."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from vern.kit.devstack import DevStack
from vern.kit.devtoken import load_personas

from .test_slice import Token, url, wait_for

pytestmark = pytest.mark.integration

ASKING = {
    "full_name": "Torgunn Innsyn Hatlestad",
    "email": "torgunn.hatlestad@example.org",
    "phone": "+4741112233",
    "address": "Innsynsveien 15, 5003 Bergen",
    "birth_date": "1979-11-02",
    "gender": "female",
    "heard_about": "brochure",
    "intake_date": "2026-01-31",
    "confidentiality_declaration": {"signed_date": "2026-01-31", "version": "innsyn-v3"},
    "newsletter_opt_in": True,
}
BESIDE = {
    "full_name": "Bjarne Nabo Kvamme",
    "email": "bjarne.kvamme@example.org",
    "phone": "+4741998877",
    "address": "Naboveien 99, 5004 Bergen",
    "birth_date": "1968-04-23",
    "gender": "male",
    "heard_about": "internet",
    "intake_date": "2026-02-27",
    "confidentiality_declaration": {"signed_date": "2026-02-27", "version": "nabo-v9"},
    "newsletter_opt_in": True,
}
CONTACTS = (("session", timedelta(days=20)), ("phone", timedelta(days=3)))


def _store(client: dict[str, Any], token: Token) -> dict[str, Any]:
    """The client, two contacts, the newsletter consent (through the registry) and a request
    for a second list (the public double opt-in form)."""
    counsellor = load_personas()["counsellor"]["sub"]
    response = httpx.post(
        url("registry", "/persons"),
        json={**client, "assigned_counsellor_id": counsellor},
        headers=token("coordinator", "registry"),
    )
    assert response.status_code == 201, response.text
    person: dict[str, Any] = response.json()
    for kind, ago in CONTACTS:
        contact = httpx.post(
            url("registry", f"/persons/{person['id']}/contacts"),
            json={"kind": kind, "occurred_at": (datetime.now(UTC) - ago).isoformat()},
            headers=token("counsellor", "registry"),
        )
        assert contact.status_code == 201, contact.text

    def subscriber() -> list[Any]:
        found = httpx.get(
            url("consent", "/subjects"),
            params={"subject_ref": person["id"]},
            headers=token("manager", "consent"),
        )
        assert found.status_code == 200, found.text
        subscribers: list[Any] = found.json()
        return subscribers

    [held] = wait_for(subscriber)
    subscription = httpx.post(
        url("consent", "/subscriptions"), json={"email": client["email"], "list_id": "partners"}
    )
    assert subscription.status_code == 202, subscription.text
    return {"person": person, "subscriber": held}


@pytest.fixture(scope="module")
def two_clients(stack: DevStack, token: Token) -> dict[str, dict[str, Any]]:
    return {"asking": _store(ASKING, token), "beside": _store(BESIDE, token)}


def _values(client: dict[str, Any]) -> list[str]:
    """Every value stored about a client, as the person gave it."""
    declaration = client["confidentiality_declaration"]
    plain = [
        v for k, v in client.items() if isinstance(v, str) and k not in ("gender", "heard_about")
    ]
    return [*plain, declaration["version"]]


def _day(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def test_the_package_holds_every_value_of_the_one_who_asked_and_none_of_the_other(
    two_clients: dict[str, dict[str, Any]], token: Token
) -> None:
    asking, beside = two_clients["asking"], two_clients["beside"]
    created = httpx.post(
        url("dsar", "/requests"),
        json={
            "type": "access",
            "channel": "staff",
            "email": ASKING["email"],
            "identity_check": "id_document",
        },
        headers=token("manager", "dsar"),
        timeout=30,
    )
    assert created.status_code == 201, created.text
    request = created.json()
    # The package is sealed once both services have exported; the outside systems' manual
    # tasks may keep the request itself open.
    services = {t["target"]: t["status"] for t in request["tasks"] if t["kind"] == "service"}
    assert services == {"registry": "done", "consent": "done"}, request["tasks"]
    as_json = httpx.get(
        url("dsar", f"/requests/{request['id']}/package"), headers=token("dpo", "dsar")
    )
    as_page = httpx.get(
        url("dsar", f"/requests/{request['id']}/package.html"), headers=token("dpo", "dsar")
    )
    assert as_json.status_code == as_page.status_code == 200, as_page.text
    package = as_json.json()
    document = json.dumps(package, ensure_ascii=False)
    page = html.unescape(as_page.text)

    registry = {c["category"]: c for s in package["services"]["registry"]["subjects"]
                for c in s["categories"]}  # fmt: skip
    record = registry["client_record"]["data"]
    for field, value in ASKING.items():
        if field != "newsletter_opt_in":
            assert record[field] == value, field
    contacts = registry["contact_events"]["data"]["contacts"]
    assert sorted(c["kind"] for c in contacts) == ["phone", "session"]
    consent = {c["category"]: c for s in package["services"]["consent"]["subjects"]
               for c in s["categories"]}  # fmt: skip
    lists = {
        s["list_id"]: s["status"]
        for s in consent["newsletter_subscription"]["data"]["subscriptions"]
    }
    assert lists == {"general": "confirmed", "partners": "pending"}
    assert [e["event"] for e in consent["consent_history"]["data"]["events"]] == ["given"]
    assert {r["name"] for r in consent["newsletter_subscription"]["recipient_details"]} == {
        "SendGrid"
    }

    for value in _values(ASKING):
        assert value in document, value
        assert value in page or _day(value) in page, value
    for shown in ("Kjønn kvinne", "Hvordan du fikk høre om oss brosjyre", "Type samtale",
                  "Type telefon", "Liste partners", "Status venter på bekreftelse", "Hendelse gitt"):  # fmt: skip
        assert shown in " ".join(re.sub(r"<[^>]+>", " ", page).split()), shown
    assert asking["person"]["id"] in document
    assert asking["subscriber"]["id"] in document

    for value in [
        *_values(BESIDE),
        *(_day(v) for v in (BESIDE["birth_date"], BESIDE["intake_date"])),
    ]:
        assert value not in document, value
        assert value not in page, value
    for other_id in (beside["person"]["id"], beside["subscriber"]["id"]):
        assert other_id not in document
        assert other_id not in page

    # every field and every audited action is shown in Norwegian words, none as its code
    assert re.findall(r"<dt>[a-z]+_[a-z_]+</dt>", as_page.text) == []
    assert re.findall(r"<td>[a-z_]+\.[a-z_]+</td>", as_page.text) == []
    assert "registrerte deg</td>" in as_page.text
    assert '<html lang="nb">' in as_page.text
    assert "<script" not in as_page.text

"""The erasure receipt: per store what was erased and kept under which law, signed by dsar (ES256)
and verifiable by anyone against the published JWKS."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from vern.dsar.config import DsarSettings
from vern.dsar.receipts.signing import DEV_RECEIPT_SIGNING_KEY
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers
from ..requests.conftest import STAFF_BODY, file_request, finish_tasks, move

pytestmark = pytest.mark.anyio

REGISTRY_ID = str(uuid.uuid4())
CONSENT_ID = str(uuid.uuid4())


async def erased_solveig(client: httpx.AsyncClient, auth: Tokens, services: Peers) -> str:
    services.registry.hold(REGISTRY_ID, **SOLVEIG)
    services.consent.hold(CONSENT_ID, email=SOLVEIG["email"])
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    handler, second = auth.staff("manager", sub="manager-1"), auth.staff("dpo", sub="dpo-1")
    for headers, status in [
        (handler, "in_progress"),
        (handler, "awaiting_approval"),
        (second, "approved"),
    ]:
        assert (await move(client, created["id"], headers, status)).status_code == 200
    vendor = auth.machine("journal", client_id="journal-vendor")
    done = await finish_tasks(client, created["id"], handler, vendor)
    assert (done["status"], done["receipt_available"]) == ("completed", True)
    request_id: str = created["id"]
    return request_id


async def jwks(client: httpx.AsyncClient) -> KeySet:
    response = await client.get("/dsar/.well-known/jwks.json")  # public: no token
    assert response.status_code == 200
    return KeySet.import_key_set(response.json())


async def test_the_receipt_verifies_against_the_published_key_and_names_each_store(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    request_id = await erased_solveig(client, auth, services)
    response = await client.get(
        f"/dsar/requests/{request_id}/receipt", headers=auth.client(SOLVEIG["national_id"])
    )
    assert response.status_code == 200
    signed = response.json()
    token = jwt.decode(signed["jws"], await jwks(client), algorithms=["ES256"])
    assert token.header["typ"] == "vern-erasure-receipt+jwt"
    claims = token.claims
    assert claims == signed["receipt"]
    assert (claims["sub"], claims["iss"], claims["org"]) == (
        request_id,
        "urn:vern:dsar",
        tryggere.org.name,
    )
    stores: dict[str, dict[str, Any]] = {s["target"]: s for s in claims["stores"]}
    # Every store a data request reaches (Google Analytics holds de-identified visitors only).
    assert set(stores) == {"registry", "consent", *tryggere.outside_systems} - {"google_analytics"}
    assert stores["registry"]["erased"] == [
        {"subject_id": REGISTRY_ID, "categories": ["registry_data"]}
    ]
    assert stores["consent"]["kept"][0]["category"] == "suppression"
    assert stores["aspit_journal"]["erased"][0]["categories"] == ["session_notes"]
    assert stores["aspit_journal"]["kept"][0]["law"] == "pasientjournalforskriften § 14"
    assert stores["aspit_journal"]["confirmed_by"] == "journal-vendor"
    # Invoices are kept under bokføringsloven, as the profile's legal hold says.
    assert [k["law"] for k in stores["tripletex"]["kept"]] == ["bokføringsloven § 13"]
    assert stores["phone"]["kept"] == []
    for value in (*SOLVEIG.values(), STAFF_BODY["name"]):
        assert value not in json.dumps(claims, ensure_ascii=False)


async def test_a_changed_receipt_fails_verification(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    request_id = await erased_solveig(client, auth, services)
    signed = (
        await client.get(f"/dsar/requests/{request_id}/receipt", headers=auth.staff("dpo"))
    ).json()
    header, payload, signature = signed["jws"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["stores"] = [s for s in claims["stores"] if s["target"] != "tripletex"]
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    keys = await jwks(client)
    jwt.decode(signed["jws"], keys, algorithms=["ES256"])  # the original verifies
    with pytest.raises(BadSignatureError):
        jwt.decode(f"{header}.{changed}.{signature}", keys, algorithms=["ES256"])


async def test_only_a_completed_erasure_has_a_receipt_and_only_its_subject_and_handlers_see_it(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, tryggere: OrgProfile
) -> None:
    access = await file_request(client, auth.staff("manager"), type="access", **STAFF_BODY)
    path = f"/dsar/requests/{access['id']}/receipt"
    assert (await client.get(path, headers=auth.staff("dpo"))).status_code == 404
    request_id = await erased_solveig(client, auth, services)
    path = f"/dsar/requests/{request_id}/receipt"
    assert (await client.get(path, headers=auth.client(OTHER_NATIONAL_ID))).status_code == 404
    assert (await client.get(path, headers=auth.staff("counsellor"))).status_code == 403
    assert (await client.get(path)).status_code == 401


def test_production_refuses_the_development_signing_key() -> None:
    with pytest.raises(ValueError, match="receipt_signing_key is the development key"):
        DsarSettings(
            environment="production",
            keks={"k1": base64.b64encode(b"k" * 32).decode()},
            active_kek_id="k1",
            blind_index_key=base64.b64encode(b"b" * 32).decode(),
            client_secret="not-a-dev-secret",
            journal_webhook_secret="whsec_" + base64.b64encode(b"w" * 32).decode(),
        )
    assert DEV_RECEIPT_SIGNING_KEY not in str(DsarSettings().model_dump().keys())


def test_a_signing_key_that_is_not_a_private_p256_jwk_is_refused_without_quoting_it() -> None:
    public_only = {k: v for k, v in json.loads(DEV_RECEIPT_SIGNING_KEY).items() if k != "d"}
    with pytest.raises(ValueError, match="private") as refused:
        DsarSettings(receipt_signing_key=json.dumps(public_only))
    assert public_only["x"] not in str(refused.value)

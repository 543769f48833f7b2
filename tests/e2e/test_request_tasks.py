"""The manager carries out an erasure of Nok. Bergen to the end: the profile grants it once the
identity is proven, Vern's own stores are erased by their calls, and the four outside systems
(Google Workspace, the paper archive, SMS, e-mail) are manual tasks the manager marks done, each
with a note (one of them, marked meanwhile by a colleague, is refused with a 409 said in
Norwegian); with the last one the request completes, the notes go with its personal data (the
page says so), and its signed receipt is shown and can be downloaded. Every screen passes axe
and is photographed."""

from __future__ import annotations

import json
import re
from base64 import urlsafe_b64decode
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from vern.kit.devtoken import fetch_persona_token

from .screens import assert_accessible, log_in, open_request_from_queue
from .staff_data import DSAR, register_letter_request

pytestmark = pytest.mark.e2e

TASKS_HEADING = "Fremdrift per register"
OUTSIDE_SYSTEMS = ["Google Workplace", "Papir i låste skap", "SMS-tjenesten", "E-postkontoene"]


def _mark_done_by_api(request_id: str, name: str) -> None:
    """A colleague marks the task of that outside system done in another window."""
    headers = {
        "Authorization": f"Bearer {fetch_persona_token('manager', resource='urn:vern:dsar')}"
    }
    request = httpx.get(f"{DSAR}/dsar/requests/{request_id}", headers=headers, timeout=30)
    assert request.status_code == 200, request.text
    (task,) = [t for t in request.json()["tasks"] if t["name"] == name]
    done = httpx.post(
        f"{DSAR}/dsar/requests/{request_id}/tasks/{task['id']}/done",
        json={"note": "Gjort av en kollega."},
        headers=headers,
        timeout=30,
    )
    assert done.status_code == 200, done.text


def _header(jws: str) -> dict[str, str]:
    part = jws.split(".")[0]
    decoded: dict[str, str] = json.loads(urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def test_manager_marks_the_manual_tasks_of_an_erasure_done_and_gets_the_receipt(
    page: Page,
) -> None:
    erasure = register_letter_request("erasure", "Eirik Eksempel", "eirik.eksempel@example.org")
    log_in(page, "manager", check=False)
    open_request_from_queue(page, erasure)
    expect(page.get_by_role("heading", level=1)).to_have_text("Forespørsel: Sletting")

    page.get_by_label("Neste steg").select_option(label="Bekreft identiteten")
    page.get_by_label("Identiteten kontrollert med").select_option(label="Legitimasjon")
    page.get_by_role("button", name="Lagre steget").click()
    handled = page.get_by_role("region", name="Behandle forespørselen").get_by_role("status")
    expect(handled).to_contain_text("«Godkjent»")

    manual = page.get_by_role("region", name="Manuelle oppgaver")
    tasks = manual.get_by_role("heading", level=4)
    expect(tasks).to_have_count(len(OUTSIDE_SYSTEMS))
    for name in OUTSIDE_SYSTEMS:
        expect(manual.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()
    assert_accessible(page, "request-manual-tasks")

    # The note is required: without it the form says so next to the field and sends nothing.
    first = manual.get_by_role("region").first
    first.get_by_role("button", name="Merk som utført").click()
    expect(first.get_by_label("Hva ble gjort")).to_have_attribute("aria-invalid", "true")
    expect(tasks).to_have_count(len(OUTSIDE_SYSTEMS))
    assert_accessible(page, "request-manual-task-invalid")

    # A colleague marks one task done meanwhile; the page still offers it, and marking it again
    # is refused (409): said in Norwegian, and the page catches up.
    stale = manual.get_by_role("region").filter(has_not_text="Papir").first
    stale_name = stale.get_by_role("heading", level=4).inner_text()
    _mark_done_by_api(erasure["id"], stale_name)
    stale.get_by_label("Hva ble gjort").fill("Slettet e-postene.")
    stale.get_by_role("button", name="Merk som utført").click()
    expect(
        page.get_by_text("Oppgaven er allerede merket som utført, kanskje av en kollega.")
    ).to_be_visible()
    expect(tasks).to_have_count(len(OUTSIDE_SYSTEMS) - 1)
    assert_accessible(page, "request-manual-task-conflict")

    progress = page.locator("progress.progress")
    for left in range(len(OUTSIDE_SYSTEMS) - 1, 0, -1):
        task = manual.get_by_role("region").first
        name = task.get_by_role("heading", level=4).inner_text()
        task.get_by_label("Hva ble gjort").fill("Slettet alt om personen i systemet.")
        if name.startswith("Papir"):
            task.get_by_label("Hva ble beholdt").fill("Signert taushetserklæring")
            task.get_by_label("Hvorfor").fill("Dokumentasjon av taushetsplikten")
            task.get_by_label("Lovhjemmel").fill("Arkivloven § 6")
        task.get_by_role("button", name="Merk som utført").click()
        expect(page.get_by_text(f"«{name}» er merket som utført.")).to_be_visible()
        if left > 1:
            expect(tasks).to_have_count(left - 1)
    expect(progress).to_have_attribute("value", progress.get_attribute("max") or "")

    # The last task done completes the request, and the signed receipt is shown; the move made
    # here (the approval) is no longer what the request stands at, and the page says so.
    expect(page.locator("dl.details").first).to_contain_text("Fullført")
    expect(handled).to_contain_text("«Fullført»")
    expect(handled).not_to_contain_text("Godkjent")
    # The notes went with the request's personal data, and each outside system's row says so.
    removed = "Notatet er slettet sammen med personopplysningene i forespørselen etter slettingen."
    progress_table = page.get_by_role("region", name=TASKS_HEADING).get_by_role("table")
    expect(progress_table.get_by_text(removed, exact=False)).to_have_count(len(OUTSIDE_SYSTEMS))
    expect(progress_table).not_to_contain_text("Slettet alt om personen")
    receipt = page.get_by_role("region", name="Slettekvittering")
    expect(receipt.get_by_role("heading", name="Slettekvittering")).to_be_visible()
    for name in OUTSIDE_SYSTEMS:
        expect(receipt.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()
    kept = receipt.get_by_role("table", name=re.compile("Beholdt i Papir"))
    expect(kept).to_contain_text("Arkivloven § 6")
    kid = receipt.locator("code").inner_text()
    assert kid
    assert_accessible(page, "request-erasure-receipt")

    with page.expect_download() as info:
        receipt.get_by_role("button", name="Last ned signert kvittering").click()
    download = info.value
    assert download.suggested_filename == f"slettekvittering-{erasure['id']}.jws"
    jws = Path(download.path()).read_text(encoding="ascii")
    assert jws.count(".") == 2
    assert _header(jws)["kid"] == kid
    jwks = page.request.get("http://localhost:8080/dsar/.well-known/jwks.json").json()
    assert kid in [key["kid"] for key in jwks["keys"]]
    assert "eirik" not in page.url.lower()
    assert "Eirik" not in page.title()

"""The client's "Mine opplysninger" with BankID (Nok. Bergen's profile): client1 logs in, gets
the access package with progress shown, downloads it, asks for a correction and for erasure,
and is told the erasure's status as the API gives it, store by store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .screens import APP, assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.e2e


def _log_in_with_bankid(page: Page, username: str) -> None:
    page.goto(APP + "mine-opplysninger")
    expect(page.get_by_role("heading", name="Mine opplysninger")).to_be_visible()
    page.get_by_role("button", name="Logg inn med BankID").click()
    page.wait_for_url(re.compile(r"localhost:9000/"))
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("vern-dev")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"localhost:8080/"))
    expect(page.get_by_role("heading", name="Se opplysningene dine")).to_be_visible()


def test_a_bankid_client_sees_their_data_and_has_it_erased(page: Page, tmp_path: Path) -> None:
    _log_in_with_bankid(page, "client1")
    expect(page.get_by_text("Du har ikke sendt noen forespørsler ennå.")).to_be_visible()
    assert_accessible(page, "my-data")

    page.get_by_role("button", name="Hent opplysningene mine").click()
    expect(page.get_by_text("Opplysningene dine er hentet.")).to_be_visible()
    expect(page.get_by_role("heading", name="Klientregisteret")).to_be_visible()
    assert_accessible(page, "my-data-package")

    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned (JSON)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"innsyn-\d{4}-\d{2}-\d{2}\.json", saved.name)
    package = json.loads(saved.read_text())
    assert set(package["services"]) >= {"registry", "consent"}
    with page.expect_download() as page_download:
        page.get_by_role("button", name="Last ned som nettside (HTML)").click()
    assert page_download.value.suggested_filename.endswith(".html")

    page.get_by_label("Hva er feil?").select_option("phone")
    page.get_by_label("Hva skal det være?").fill("+47 48 12 34 99")
    page.get_by_role("button", name="Send forespørsel om retting").click()
    expect(page.get_by_text("Forespørselen om retting er sendt.")).to_be_visible()
    requests = page.get_by_role("table", name="Forespørsler om innsyn, retting og sletting")
    expect(requests.get_by_role("rowheader", name="Retting")).to_be_visible()

    page.get_by_role("button", name="Slett opplysningene mine …").click()
    dialog = page.get_by_role("dialog", name="Slette opplysningene dine?")
    expect(dialog).to_be_visible()
    assert_accessible(page, "my-data-erasure-confirm")
    dialog.get_by_role("button", name="Ja, slett opplysningene mine").click()

    # Told what the API says: done, erased in Vern with the centre's manual tasks left, or under
    # way, with each store's task.
    status = page.get_by_text(
        re.compile(r"Opplysningene dine er slettet( i Vern)?\.|Vi sletter opplysningene dine\.")
    )
    expect(status).to_be_visible()
    expect(requests.get_by_role("rowheader", name="Sletting")).to_be_visible()
    if "slettet." not in status.inner_text():
        progress = page.get_by_role("list", name="Sletting per system")
        expect(progress.get_by_text("Ferdig").first).to_be_visible(timeout=30_000)
    assert_accessible(page, "my-data-erasure")
    for secret in ("14038543882", "Solveig", "Tveit"):
        assert secret not in page.url
        assert secret not in page.title()
    stored = page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert "14038543882" not in stored

    page.set_viewport_size({"width": 320, "height": 800})
    assert no_sideways_scroll(page)
    assert_accessible(page, "my-data-320px")

"""The counsellor's work: my clients with their deletion dates, search by name, a client's page,
recording a contact and seeing it in the timeline; someone not assigned must break the glass."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .screens import APP, assert_accessible, log_in, no_sideways_scroll

pytestmark = pytest.mark.e2e


def test_counsellor_records_a_contact_and_sees_it_in_the_timeline(page: Page) -> None:
    log_in(page, "counsellor", check=False)
    expect(page.get_by_role("heading", name="Mine klienter")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Slettes")).to_be_visible()
    assert_accessible(page, "counsellor-clients")

    page.get_by_label("Navn eller del av navn").fill("Klient En")
    page.get_by_role("button", name="Søk", exact=True).click()
    expect(page.get_by_text("Fant 1 klient.")).to_be_visible()
    assert_accessible(page, "counsellor-search")

    page.get_by_role("region", name="Søkeresultat").get_by_role(
        "link", name="Demo Klient En"
    ).click()
    expect(page.get_by_role("heading", name="Klient", exact=True)).to_be_visible()
    expect(page.get_by_text("Slettes")).to_be_visible()
    expect(page.get_by_text("Ingen kontakter er registrert ennå")).to_be_visible()
    # Consent history is the manager's and the DPO's; a counsellor is not offered it.
    expect(page.get_by_role("link", name="Se samtykkehistorikken")).to_have_count(0)
    assert_accessible(page, "client-page")

    page.get_by_label("Type kontakt").select_option("phone")
    page.get_by_role("button", name="Registrer kontakt").click()
    expect(page.get_by_text("Kontakten er registrert.")).to_be_visible()
    timeline = page.get_by_role("list", name="Kontakter, nyeste først")
    expect(timeline.get_by_text("Telefon")).to_be_visible()
    assert_accessible(page, "client-contact-recorded")
    assert "demo" not in page.url.lower()

    page.set_viewport_size({"width": 320, "height": 800})
    assert no_sideways_scroll(page)
    assert_accessible(page, "client-page-320px")


def test_contact_in_the_future_is_refused_next_to_the_field(page: Page) -> None:
    log_in(page, "counsellor", check=False)
    page.get_by_role("link", name="Demo Klient To").click()
    page.get_by_label("Tidspunkt").fill("2099-01-01T10:00")
    expect(page.get_by_text("Datoen kan ikke være fram i tid.")).to_be_visible()


def test_a_client_not_assigned_opens_only_with_a_stated_reason(
    page: Page, browser: Browser
) -> None:
    log_in(page, "counsellor", check=False)
    page.get_by_role("link", name="Demo Klient To").click()
    expect(page.get_by_role("heading", name="Klient", exact=True)).to_be_visible()
    client_path = page.url.removeprefix(APP.rstrip("/"))

    other = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    try:
        second = other.new_page()
        log_in(second, "counsellor2", check=False)
        second.goto(APP.rstrip("/") + client_path)
        expect(second.get_by_text("Du er ikke tildelt denne klienten")).to_be_visible()
        assert_accessible(second, "break-glass")
        second.get_by_label("Begrunnelse").fill("kort")
        expect(second.get_by_text("Skriv en begrunnelse på minst 10")).to_be_visible()
        second.get_by_label("Begrunnelse").fill("Vakt for fast veileder ved akutt henvendelse")
        second.get_by_role("button", name="Vis klienten").click()
        expect(second.get_by_text("Oppslaget er logget med begrunnelsen din.")).to_be_visible()
        expect(second.get_by_text("Demo Klient To")).to_be_visible()
        assert_accessible(second, "break-glass-opened")
    finally:
        other.close()


def test_manager_goes_from_a_client_to_their_consent_history_and_back(page: Page) -> None:
    log_in(page, "manager", check=False)
    page.get_by_label("Navn eller del av navn").fill("Klient En")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.get_by_role("region", name="Søkeresultat").get_by_role(
        "link", name="Demo Klient En"
    ).click()
    expect(page.get_by_role("heading", name="Klient", exact=True)).to_be_visible()
    client_url = page.url
    consents = page.get_by_role("region", name="Nyhetsbrev og samtykker")
    assert_accessible(page, "client-page-manager")
    consents.get_by_role("link", name="Se samtykkehistorikken").click()
    expect(page.get_by_role("heading", name="Samtykkehistorikk", level=1)).to_be_visible()
    # Only the client's id stands in the URL.
    client_id = client_url.rstrip("/").rsplit("/", 1)[-1]
    assert page.url.endswith(f"/newsletters/clients/{client_id}")
    assert "demo" not in page.url.lower()
    assert_accessible(page, "client-consent-history")
    page.get_by_role("link", name="Til klientsiden").click()
    expect(page.get_by_role("heading", name="Klient", exact=True)).to_be_visible()
    assert page.url == client_url

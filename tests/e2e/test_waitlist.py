"""The coordinator's waiting list: an applicant is put on the list and a counsellor assigned, which
shows the date the entry will be deleted (30 days on). The task is measured in clicks and seconds
(printed, not asserted); every screen passes axe."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .screens import assert_accessible, log_in, no_sideways_scroll

pytestmark = pytest.mark.e2e


def _oslo_today() -> date:
    return datetime.now(ZoneInfo("Europe/Oslo")).date()


def test_coordinator_assigns_a_counsellor_and_sees_the_waitlist_deletion_date(page: Page) -> None:
    started = time.monotonic()
    clicks = log_in(page, "coordinator", check=False)
    page.get_by_role("link", name="Venteliste").click()
    clicks += 1
    expect(page.get_by_role("heading", name="Venteliste", level=1)).to_be_visible()
    assert_accessible(page, "waitlist-empty")

    page.get_by_label("Fullt navn").fill("Åse Ventemark Nilsen")
    page.get_by_label("E-post").fill("ase.nilsen@example.org")
    page.get_by_label("Telefon").fill("41234569")
    page.get_by_label("Type overgrep").select_option("complex")
    page.get_by_role("button", name="Sett på ventelisten").click()
    clicks += 2
    expect(page.get_by_text("Personen står nå på ventelisten.")).to_be_visible()
    page.get_by_role("link", name="Åse Ventemark Nilsen").click()
    clicks += 1
    expect(page.get_by_role("heading", name="På ventelisten")).to_be_visible()
    page.get_by_label("Faglig veileder", exact=True).select_option(label="Ingrid Solberg Haugen")
    page.get_by_role("button", name="Tildel veileder").click()
    clicks += 2
    due = (_oslo_today() + timedelta(days=30)).strftime("%d.%m.%Y")
    expect(page.get_by_role("status").get_by_text(due)).to_be_visible()
    seconds = time.monotonic() - started
    print(
        f"\ncoordinator task (login → waiting-list entry → counsellor assigned): {clicks} clicks, {seconds:.1f} s"
    )

    assert "nilsen" not in page.url.lower()
    assert "Nilsen" not in page.title()
    assert_accessible(page, "waitlist-entry-assigned")


def test_coordinator_sees_the_api_reasons_and_removes_an_entry_after_confirming(page: Page) -> None:
    log_in(page, "coordinator", check=False)
    page.get_by_role("link", name="Venteliste").click()

    page.get_by_label("Fullt navn").fill("Per Feilsjekk Aas")
    page.get_by_label("Telefon").fill("123")
    expect(page.get_by_text("Skriv et norsk telefonnummer")).to_be_visible()
    page.get_by_label("Telefon").fill("")
    page.get_by_role("button", name="Sett på ventelisten").click()
    expect(page.get_by_text("Oppgi e-post eller telefon")).to_be_visible()
    assert_accessible(page, "waitlist-intake-errors")

    page.get_by_label("Telefon").fill("41234570")
    page.get_by_role("button", name="Sett på ventelisten").click()
    page.get_by_role("link", name="Per Feilsjekk Aas").click()
    page.get_by_role("button", name="Fjern fra ventelisten …").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert_accessible(page, "waitlist-remove-dialog")
    page.get_by_role("dialog").get_by_role("button", name="Fjern", exact=True).click()
    expect(page.get_by_role("heading", name="Venteliste", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Per Feilsjekk Aas")).to_have_count(0)


def test_coordinator_promotes_an_applicant_with_the_fields_they_agreed_to(page: Page) -> None:
    log_in(page, "coordinator", check=False)
    page.get_by_role("link", name="Venteliste").click()
    page.get_by_label("Fullt navn").fill("Kari Klientsen Bø")
    page.get_by_label("E-post").fill("kari.bo@example.org")
    page.get_by_label("Telefon").fill("41234571")
    page.get_by_role("button", name="Sett på ventelisten").click()
    page.get_by_role("link", name="Kari Klientsen Bø").click()

    page.set_viewport_size({"width": 320, "height": 800})
    assert no_sideways_scroll(page)
    assert_accessible(page, "waitlist-entry-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("checkbox", name="Fullt navn").check()
    page.get_by_role("checkbox", name="Telefon").check()
    page.get_by_role("button", name="Gjør til klient").click()
    expect(page.get_by_role("heading", name="Klient", exact=True)).to_be_visible()
    expect(page.get_by_text("Kari Klientsen Bø")).to_be_visible()
    expect(page.get_by_text("kari.bo@example.org")).to_have_count(0)
    assert "kari" not in page.url.lower()

"""Four-eyes approval of an erasure at Stiftelsen Tryggere (the profile asks for it): the manager
who handled the request may not approve it and is told so in Norwegian; the DPO, a second staff
member on another computer, approves it, and the erasure's tasks are planned per store."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import SHOTS
from .screens import assert_accessible, log_in
from .staff_data import register_letter_request

pytestmark = [pytest.mark.e2e, pytest.mark.tryggere]


@pytest.fixture
def second_page(browser: Browser, page: Page) -> Iterator[Page]:
    """A browser of its own (no shared cookies or storage) for the second staff member."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _open_request(page: Page, request_id: str) -> None:
    page.get_by_role("link", name="Forespørsler").click()
    expect(page.get_by_role("heading", name="Forespørsler", level=1)).to_be_visible()
    page.locator(f'a[href="/requests/{request_id}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forespørsel: Sletting")


def _move(page: Page, step: str, status: str) -> None:
    page.get_by_label("Neste steg").select_option(label=step)
    if step == "Bekreft identiteten":
        page.get_by_label("Identiteten kontrollert med").select_option(label="Legitimasjon")
    page.get_by_role("button", name="Lagre steget").click()
    handled = page.get_by_role("region", name="Behandle forespørselen").get_by_role("status")
    expect(handled).to_contain_text(f"«{status}»")


def test_an_erasure_needs_a_second_staff_member_to_approve_it(
    page: Page, second_page: Page
) -> None:
    erasure = register_letter_request("erasure", "Siri Sletteberg", "siri.slette@example.org")

    log_in(page, "manager", check=False)
    _open_request(page, erasure["id"])
    _move(page, "Bekreft identiteten", "Identitet bekreftet")
    _move(page, "Start behandlingen", "Under arbeid")
    _move(page, "Send til godkjenning (fire øyne)", "Venter på godkjenning")
    expect(page.get_by_text("En annen ansatt enn den som behandlet forespørselen")).to_be_visible()

    page.get_by_role("button", name="Godkjenn slettingen").click()
    expect(
        page.get_by_text("Du behandlet denne forespørselen selv. En annen ansatt må godkjenne den.")
    ).to_be_visible()
    assert_accessible(page, "four-eyes-refused")
    # Nothing was carried out on the handler's word alone.
    expect(page.get_by_role("heading", name="Fremdrift per register")).to_have_count(0)

    log_in(second_page, "dpo", check=False)
    _open_request(second_page, erasure["id"])
    expect(second_page.get_by_text("Venter på godkjenning").first).to_be_visible()
    assert_accessible(second_page, "four-eyes-awaiting")
    second_page.get_by_role("button", name="Godkjenn slettingen").click()
    status = second_page.get_by_role("region", name="Behandle forespørselen").get_by_role("status")
    expect(status).to_contain_text("«Godkjent»")

    # The approved erasure runs as one task per store.
    expect(second_page.get_by_role("heading", name="Fremdrift per register")).to_be_visible()
    expect(
        second_page.get_by_text(re.compile(r"\d+ av [1-9]\d* registre er ferdige"))
    ).to_be_visible()
    expect(
        second_page.get_by_text(re.compile(r"^Av en annen ansatt \(fire øyne\)"))
    ).to_be_visible()
    assert_accessible(second_page, "four-eyes-approved")

    # The manager's screen shows the same outcome once reloaded.
    page.reload()
    expect(page.get_by_role("heading", name="Fremdrift per register")).to_be_visible()
    expect(page.get_by_role("button", name="Godkjenn slettingen")).to_have_count(0)

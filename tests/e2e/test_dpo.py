"""The DPO's main flows: requests and breaches with the DPO's rights, the audit log of break-glass
reads, the retention preview across services and the scheduler's runs; the access tokens for four
services come from one login, and an expiring one is renewed before it is sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .screens import assert_accessible, log_in, no_sideways_scroll
from .staff_data import register_letter_request

pytestmark = pytest.mark.e2e


def _handled(page: Page) -> Locator:
    """The status line of "Behandle forespørselen", where the outcome of a move is announced."""
    return page.get_by_role("region", name="Behandle forespørselen").get_by_role("status")


STORED_USER = "Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'))"


def test_dpo_works_through_requests_breaches_audit_and_retention(page: Page) -> None:
    erasure = register_letter_request("erasure", "Siri Slettesen", "siri.slett@example.org")
    log_in(page, "dpo", check=False)
    nav = page.get_by_role("navigation", name="Hovedmeny")
    expect(nav.get_by_role("link", name="Klienter")).to_have_count(0)

    # The DPO starts in the requests queue (dsar token).
    expect(page.get_by_role("heading", name="Forespørsler", level=1)).to_be_visible()
    assert_accessible(page, "dpo-requests")
    page.get_by_label("Status").select_option(label="Mottatt")
    page.locator(f'a[href="/requests/{erasure["id"]}"]').click()
    page.get_by_label("Neste steg").select_option(label="Bekreft identiteten")
    page.get_by_label("Identiteten kontrollert med").select_option(
        label="Kjent fra tidligere kontakt"
    )
    page.get_by_role("button", name="Lagre steget").click()
    # Nok. Bergen erases at once once identity is proven: approved by the profile's rule.
    expect(_handled(page)).to_contain_text("«Godkjent»")
    expect(page.get_by_text("Automatisk etter virksomhetens regler", exact=False)).to_be_visible()
    assert_accessible(page, "dpo-request")

    nav.get_by_role("link", name="Avvik").click()
    expect(page.get_by_role("heading", name="Avvik", level=1)).to_be_visible()
    assert_accessible(page, "dpo-breaches")

    # The registry token is about to expire: it is renewed with the refresh token before use.
    before = page.evaluate(f"JSON.parse(sessionStorage.getItem({STORED_USER})).access_token")
    page.evaluate(
        f"""() => {{
            const key = {STORED_USER};
            const user = JSON.parse(sessionStorage.getItem(key));
            user.expires_at = Math.floor(Date.now() / 1000) + 30;
            sessionStorage.setItem(key, JSON.stringify(user));
        }}"""
    )
    nav.get_by_role("link", name="Nødtilgang").click()
    expect(page.get_by_role("heading", name="Nødtilgang", level=1)).to_be_visible()
    expect(
        page.get_by_role("table").or_(page.get_by_text("Ingen har brukt nødtilgang."))
    ).to_be_visible()
    after = page.evaluate(f"JSON.parse(sessionStorage.getItem({STORED_USER})).access_token")
    assert after != before
    assert_accessible(page, "dpo-break-glass-log")

    nav.get_by_role("link", name="Sletting").click()
    expect(page.get_by_role("heading", name="Sletting", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Klientregisteret")).to_be_visible()
    expect(page.get_by_role("heading", name="Siste kjøringer")).to_be_visible()
    expect(page.get_by_text(re.compile("Klarte ikke"))).to_have_count(0)
    assert_accessible(page, "dpo-retention")

    # Only the registry token is kept in storage; the other services' tokens live in memory.
    stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage, localStorage))")
    assert "Siri" not in stored
    assert "siri.slett" not in stored
    page.set_viewport_size({"width": 320, "height": 800})
    assert no_sideways_scroll(page)

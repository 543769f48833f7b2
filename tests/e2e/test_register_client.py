"""A coordinator logs in through the IdP's page, registers a client and sees them listed; every
screen passes axe (WCAG 2.1 AA) with no violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .screens import assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_coordinator_registers_a_client_and_sees_them_listed(page: Page) -> None:
    log_in(page, "coordinator")
    expect(page.get_by_role("heading", name="Mine klienter")).to_be_visible()
    assert_accessible(page, "client-list")

    page.get_by_label("Fullt navn").fill("Tiril Nettleser Dahl")
    page.get_by_label("E-post").fill("tiril.dahl@example.org")
    page.get_by_label("Telefon").fill("41234568")
    page.get_by_label("Faglig veileder", exact=True).select_option(index=1)
    page.get_by_role("button", name="Registrer klient").click()
    expect(page.get_by_text("Klienten er registrert")).to_be_visible()
    expect(page.get_by_role("cell", name="Tiril Nettleser Dahl")).to_be_visible()
    assert_accessible(page, "client-registered")
    assert "tiril" not in page.url.lower()

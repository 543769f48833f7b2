"""A coordinator logs in through the IdP's page, registers a client and sees them listed; every
screen passes axe (WCAG 2.1 AA) with no violations."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import SHOTS

pytestmark = pytest.mark.e2e
APP = "http://localhost:8080/"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options=WCAG_AA)
    violations = results.response["violations"]
    assert violations == [], f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations
    )


def log_in(page: Page, username: str) -> None:
    page.goto(APP)
    assert_accessible(page, "landing")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"localhost:9000/"))
    assert_accessible(page, "idp-login")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("vern-dev")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"localhost:8080/"))


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

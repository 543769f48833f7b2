"""Keyboard only: the skip link and the menu are reached with Tab, a screen opens with Enter and
focus moves to its main content; at 200 % zoom (half the CSS width) nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .screens import assert_accessible, log_in, no_sideways_scroll

pytestmark = pytest.mark.e2e


def _tab_to(page: Page, name: str, limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement?.textContent?.trim()") == name:
            return
    raise AssertionError(f"{name!r} not reached with Tab")


def test_counsellor_moves_between_screens_with_the_keyboard_alone(page: Page) -> None:
    log_in(page, "counsellor", check=False)
    page.reload()  # focus starts at the top of the document, as on arriving
    expect(page.get_by_role("heading", name="Mine klienter")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement?.textContent?.trim()") == "Hopp til hovedinnhold"

    _tab_to(page, "Aktiviteter")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Mine aktiviteter")).to_be_visible()
    assert page.evaluate("document.activeElement?.id") == "main"

    _tab_to(page, "Klienter")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Mine klienter")).to_be_visible()
    _tab_to(page, "Demo Klient To")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Klient", exact=True)).to_be_visible()


@pytest.mark.parametrize("username", ["coordinator", "manager"])
def test_screens_fit_at_200_percent_zoom(page: Page, username: str) -> None:
    page.set_viewport_size({"width": 640, "height": 900})
    log_in(page, username, check=False)
    for link in ("Klienter", "Venteliste") + (("Statistikk",) if username == "manager" else ()):
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert no_sideways_scroll(page), link
    assert_accessible(page, f"{username}-200-percent")

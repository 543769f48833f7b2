"""Shared steps of the browser tests: the real IdP login, and a screenshot plus an axe check of
every screen (WCAG 2.1 AA, zero violations)."""

from __future__ import annotations

import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import SHOTS

APP = "http://localhost:8080/"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


# Waits for the finite CSS animations and transitions running now (a dialog fading in): axe
# measures colour contrast, and a half-faded element fails it by chance. Spinners run for ever
# and are left out.
_SETTLED = """() => Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => undefined)))"""


def assert_accessible(page: Page, name: str) -> None:
    page.evaluate(_SETTLED)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options=WCAG_AA)
    violations = results.response["violations"]
    assert violations == [], f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {[n['target'] for n in v['nodes']][:3]})"
        for v in violations
    )


def log_in(page: Page, username: str, *, check: bool = True) -> int:
    """Signs in through the dev IdP's own page; returns the clicks it took."""
    page.goto(APP)
    if check:
        assert_accessible(page, "landing")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"localhost:9000/"))
    if check:
        assert_accessible(page, "idp-login")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("vern-dev")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"localhost:8080/"))
    # Signed in once the code is redeemed and the menu for the person's roles is shown.
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_visible()
    return 2


def no_sideways_scroll(page: Page) -> bool:
    """True when the page fits the viewport's width (tables scroll inside their own region)."""
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


# The queue's type filter, by request type.
REQUEST_TYPE_LABELS = {
    "access": "Innsyn",
    "rectification": "Retting",
    "erasure": "Sletting",
    "restriction": "Begrensning",
    "objection": "Protest",
}


def open_request_from_queue(page: Page, request: dict[str, Any]) -> None:
    """Opens a request from the staff queue, found under its type as a manager would: with more
    than a page of requests (other tests register them too), a new one is not on the first."""
    page.get_by_role("link", name="Forespørsler").click()
    expect(page.get_by_role("heading", name="Forespørsler", level=1)).to_be_visible()
    page.get_by_label("Type").select_option(label=REQUEST_TYPE_LABELS[request["type"]])
    page.locator(f'a[href="/requests/{request["id"]}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Forespørsel:"))

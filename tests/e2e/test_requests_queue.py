"""The manager's request queue in pages of 50 (Nok. Bergen): more requests than fit one page are
registered through dsar's API; the queue shows the first 50 and how many there are in all,
"Neste side" by keyboard shows the rest with its page marked current and the focus on the
table, and a filter change starts again from the first page. Every screen passes axe."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from vern.kit.devtoken import fetch_persona_token

from .screens import assert_accessible, log_in
from .staff_data import DSAR, register_letter_request

pytestmark = pytest.mark.e2e

PAGE_SIZE = 50
DASH = "\N{EN DASH}"


def _total(kind: str | None = None) -> int:
    """How many requests (of `kind`) the manager's queue holds, as dsar counts them."""
    token = fetch_persona_token("manager", resource="urn:vern:dsar")
    response = httpx.get(
        f"{DSAR}/dsar/requests",
        params={"limit": 1, **({"type": kind} if kind else {})},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


def test_the_manager_pages_through_the_request_queue(page: Page) -> None:
    for n in range(PAGE_SIZE + 1):
        register_letter_request("access", f"Kø Person {n}", f"ko.person{n}@example.org")
    total = _total()
    assert total > PAGE_SIZE
    second_to = min(total, 2 * PAGE_SIZE)

    log_in(page, "manager", check=False)
    page.get_by_role("link", name="Forespørsler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forespørsler")
    queue = page.get_by_role("table", name="Forespørsler fra registrerte")
    rows = queue.locator("tbody tr")
    expect(page.get_by_role("status").filter(has_text="Viser")).to_have_text(
        f"Viser 1{DASH}{PAGE_SIZE} av {total}"
    )
    expect(rows).to_have_count(PAGE_SIZE)
    expect(rows.first).to_contain_text("dager igjen")
    pages = page.get_by_role("navigation", name="Sider i forespørselskøen")
    expect(pages.get_by_role("button", name="Side 1")).to_have_attribute("aria-current", "true")
    first_page = rows.first.get_by_role("link").get_attribute("href")
    assert_accessible(page, "requests-queue-page-1")

    # By keyboard: the next page's button, Enter.
    pages.get_by_role("button", name="Neste side").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Viser")).to_have_text(
        f"Viser {PAGE_SIZE + 1}{DASH}{second_to} av {total}"
    )
    expect(rows).to_have_count(second_to - PAGE_SIZE)
    # The keyboard starts on the requests of the new page, as after loading a page.
    expect(page.get_by_role("region", name="Forespørsler fra registrerte")).to_be_focused()
    expect(pages.get_by_role("button", name="Side 2")).to_have_attribute("aria-current", "true")
    expect(pages.get_by_role("button", name="Side 1")).not_to_have_attribute("aria-current", "true")
    assert rows.first.get_by_role("link").get_attribute("href") != first_page
    assert_accessible(page, "requests-queue-page-2")

    # Another filter is another list: back to its first page.
    page.get_by_label("Type").select_option(label="Innsyn")
    access = _total("access")
    expect(page.get_by_role("status").filter(has_text="Viser")).to_have_text(
        f"Viser 1{DASH}{min(access, PAGE_SIZE)} av {access}"
    )
    expect(pages.get_by_role("button", name="Side 1")).to_have_attribute("aria-current", "true")
    assert_accessible(page, "requests-queue-filtered")

"""The rendered privacy notices under docs/ pass axe (WCAG 2.1 AA and best practice) and read
the same with JavaScript off. They are what GET /registry/privacy-notice serves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from .conftest import ROOT

pytestmark = pytest.mark.e2e
AXE = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}


def _open(browser: Browser, org: str, *, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(locale="nb-NO", java_script_enabled=javascript)
    page = context.new_page()
    page.goto((ROOT / "docs" / f"personvernerklaering-{org}.html").as_uri())
    yield page
    context.close()


@pytest.mark.parametrize("org", ["tryggere", "nokbergen"])
def test_privacy_notice_has_no_accessibility_violations(browser: Browser, org: str) -> None:
    for page in _open(browser, org, javascript=True):
        violations = Axe().run(page, options=AXE).response["violations"]

        assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


@pytest.mark.parametrize("org", ["tryggere", "nokbergen"])
def test_privacy_notice_reads_without_javascript(browser: Browser, org: str) -> None:
    for page in _open(browser, org, javascript=False):
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        expect(page.get_by_role("main")).to_be_visible()
        expect(page.get_by_role("link", name="Mine opplysninger")).to_be_visible()
        page.get_by_role("link", name="Gå til innholdet").focus()
        expect(page.get_by_role("link", name="Gå til innholdet")).to_be_visible()

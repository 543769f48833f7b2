"""Idle logout: after 15 minutes without activity (the default) a dialog counts down the last
minute; staying keeps the session, and otherwise Vern forgets the tokens, says why, and asks for
the password again. Browser time is moved forward with Playwright's clock, not waited for."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .screens import assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_an_idle_session_warns_with_a_countdown_then_signs_out(page: Page) -> None:
    page.clock.install()
    log_in(page, "counsellor", check=False)
    expect(page.get_by_role("heading", name="Mine klienter")).to_be_visible()

    page.clock.fast_forward("14:10")
    warning = page.get_by_role("dialog", name="Er du fortsatt der?")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("timer")).to_contain_text(re.compile(r"Du logges ut om \d+ sekund"))
    assert_accessible(page, "idle-warning")

    warning.get_by_role("button", name="Fortsett å være logget inn").click()
    expect(warning).to_be_hidden()
    page.clock.fast_forward("10:00")
    expect(page.get_by_role("heading", name="Mine klienter")).to_be_visible()
    expect(warning).to_be_hidden()

    page.clock.fast_forward("04:10")
    expect(warning).to_be_visible()
    page.clock.fast_forward("01:05")
    expect(page.get_by_text("Du ble logget ut fordi du ikke var aktiv")).to_be_visible()
    expect(page.get_by_role("heading", name="Mine klienter")).to_have_count(0)
    stored = page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('oidc.user'))")
    assert stored == []
    assert_accessible(page, "idle-signed-out")

    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"localhost:9000/"))
    expect(page.get_by_label("Passord")).to_be_visible()

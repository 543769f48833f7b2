"""The SPA is served with the security headers (as deploy/nginx.conf sends them), and a full login
and a screen of data work under its Content-Security-Policy without a single violation."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from vern.kit.devstack import DevStack

from .screens import APP, log_in

pytestmark = pytest.mark.e2e


def test_the_spa_is_served_with_the_security_headers(stack: DevStack) -> None:
    for path in ("", "assets/", "klienter/ukjent"):
        headers = httpx.get(APP + path, timeout=10).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_logging_in_and_reading_a_screen_break_no_policy(page: Page) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    log_in(page, "coordinator", check=False)
    expect(page.get_by_role("navigation").first).to_be_visible()
    assert violations == []

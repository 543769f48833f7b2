"""Browser tests: the built SPA behind Vite's preview proxy, the real services and the real dev IdP,
driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from vern.kit.devstack import DevStack, project_root

ROOT = project_root(Path(__file__))
SHOTS = ROOT / "frontend" / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    subprocess.run(["npm", "run", "--silent", "build"], cwd=ROOT / "frontend", check=True)
    var = tmp_path_factory.mktemp("var")
    with DevStack(root=ROOT, var=var, echo=False, frontend="preview") as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, stack: DevStack) -> Iterator[Page]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()

"""Browser tests: the built SPA behind Vite's preview proxy, the real services and the real dev IdP,
driven by Playwright in Debian's Chromium.

The stack runs the Nok. Bergen profile; a test marked `tryggere` gets a stack with Stiftelsen
Tryggere's profile instead (four-eyes approval of erasures). The ports are fixed, so one stack runs
at a time: those tests are run last, after the Nok. Bergen stack has stopped, and the Tryggere
stack starts only when one of them is selected.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.logscan import no_personal_data_in_any_log  # noqa: F401  (used by every test)
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


DEFAULT_PROFILE = "nokbergen"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "stack" in metafunc.fixturenames and metafunc.definition.get_closest_marker("tryggere"):
        metafunc.parametrize("stack", ["tryggere"], indirect=True, scope="session")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Stable: the order within each profile stays as pytest chose it.
    items.sort(key=lambda item: item.get_closest_marker("tryggere") is not None)


@pytest.fixture(scope="session")
def spa_built() -> None:
    subprocess.run(["npm", "run", "--silent", "build"], cwd=ROOT / "frontend", check=True)


@pytest.fixture(scope="session")
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, spa_built: None
) -> Iterator[DevStack]:
    profile = str(getattr(request, "param", DEFAULT_PROFILE))
    var = tmp_path_factory.mktemp(f"var-{profile}")
    with DevStack(root=ROOT, var=var, profile=profile, echo=False, frontend="preview") as running:
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

"""The whole of Vern as real processes: dev IdP, SMTP sink and the four services over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.logscan import no_personal_data_in_any_log  # noqa: F401  (used by every test)
from vern.kit.devstack import DevStack, project_root
from vern.kit.devtoken import fetch_persona_token


# Module scope: the processes take fixed ports, so a module that needs another profile (or
# settings) starts its own stack after the previous module's has stopped.
@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    var = tmp_path_factory.mktemp("var")
    with DevStack(root=project_root(Path(__file__)), var=var, echo=False, frontend=None) as running:
        yield running


@pytest.fixture(scope="module")
def token(stack: DevStack) -> object:
    cache: dict[tuple[str, str], str] = {}

    def get(persona: str, service: str) -> dict[str, str]:
        key = (persona, service)
        if key not in cache:
            cache[key] = fetch_persona_token(persona, resource=f"urn:vern:{service}")
        return {"Authorization": f"Bearer {cache[key]}"}

    return get

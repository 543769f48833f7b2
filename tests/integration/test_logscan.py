"""The whole run's log check (tests/support/logscan.py) finds what it looks for, and only that."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.support.logscan import personal_data_in_logs

pytestmark = pytest.mark.integration

CLEAN = [
    '{"event": "request", "route": "/registry/persons/{person_id}", "status": 200}',
    '{"event": "sweep", "deleted": 12345678901, "at": "2026-12-02T02:00:00Z"}',  # no valid id
    '{"event": "x", "key": "a01010012356b", "mail": "[email]", "port": 41234567890}',
    "> vern-frontend@0.0.0 preview",
]


def test_the_log_check_finds_addresses_national_ids_and_personas_in_any_log_file() -> None:
    # Outside pytest's base temporary directory: these files must not fail the run's own check.
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "a").mkdir()
        (root / "a" / "registry.log").write_text("\n".join([*CLEAN, "sent to kari@example.no"]))
        (root / "dsar-1234.log").write_text(
            "\n".join(["Traceback: national_id='010100 12356'", "user Øystein Fjeldstad", *CLEAN])
        )
        (root / "notes.txt").write_text("kari@example.no")
        findings, files, lines = personal_data_in_logs(root)
    assert (files, lines) == (2, 11)
    assert findings == [
        "a/registry.log:5: an e-mail address",
        "dsar-1234.log:1: a national id",
        "dsar-1234.log:2: a persona's data",
    ]

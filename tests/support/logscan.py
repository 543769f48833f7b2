"""Personal data in the log files of a whole test run.

Every `*.log` below pytest's base temporary directory, where the integration and browser tests'
processes write theirs, is read for anything shaped like an e-mail address, for any valid national
id (11 digits that pass the check digits), and for the dev personas' names, e-mail addresses,
phone numbers and national ids. A finding names the file, the line and the kind, never the value.
Each suite's conftest uses `no_personal_data_in_any_log`, so the check runs after its last test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from vern.kit.devtoken import load_personas
from vern.kit.identifiers import parse_national_id

# The domain ends in letters: npm prints a package as `name@1.2.3`.
EMAIL = re.compile(r"[\w.+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])")
ELEVEN_DIGITS = re.compile(r"(?<![\w-])\d{6}\s?\d{5}(?![\w-])")


def _persona_values() -> re.Pattern[str]:
    values: list[str] = []
    for persona in load_personas().values():
        phone = persona["phone"]
        values += [persona["name"], persona["email"], phone, phone.removeprefix("+47")]
        if nnin := persona.get("nnin"):
            values.append(nnin)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")


def _is_national_id(text: str) -> bool:
    try:
        parse_national_id(text.replace(" ", ""))
    except ValueError:
        return False
    return True


def personal_data_in_logs(root: Path) -> tuple[list[str], int, int]:
    """The findings (`file:line: kind`), and how many files and lines were read."""
    personas = _persona_values()
    findings: list[str] = []
    files = sorted(root.rglob("*.log"))
    lines = 0
    for path in files:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            lines += 1
            kinds = [
                kind
                for kind, found in (
                    ("an e-mail address", EMAIL.search(line)),
                    ("a national id", any(map(_is_national_id, ELEVEN_DIGITS.findall(line)))),
                    ("a persona's data", personas.search(line)),
                )
                if found
            ]
            findings += [f"{path.relative_to(root)}:{number}: {kind}" for kind in kinds]
    return findings, len(files), lines


@pytest.fixture(scope="session", autouse=True)
def no_personal_data_in_any_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After the suite's last test (its processes stopped): no log line of the run holds any."""
    yield
    root = tmp_path_factory.getbasetemp()
    findings, files, lines = personal_data_in_logs(root)
    print(
        f"\nlogs of the run: {lines} lines in {files} files read, {len(findings)} with personal data"
    )
    assert not findings, findings[:50]

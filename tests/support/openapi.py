"""Writes or checks `openapi/<service>.json`: the documents the code generates, committed.

Each service is loaded in a process of its own (`python -c`), as services never share one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("registry", "consent", "dsar", "scheduler")
GENERATE = """
import json, sys
from vern.{name}.main import create_app
sys.stdout.write(json.dumps(create_app().openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\\n")
"""


def generate(name: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", GENERATE.format(name=name)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            f"{name.upper()}_DATABASE_URL": "sqlite://",
            f"{name.upper()}_KEYSTORE_URL": "sqlite://",
        },
    )
    return result.stdout


def main(mode: str) -> int:
    stale = []
    for name in SERVICES:
        path = ROOT / "openapi" / f"{name}.json"
        document = generate(name)
        json.loads(document)
        if mode == "write":
            path.parent.mkdir(exist_ok=True)
            path.write_text(document, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
        elif not path.exists() or path.read_text(encoding="utf-8") != document:
            stale.append(str(path.relative_to(ROOT)))
    if stale:
        print("out of date (run `make openapi`): " + ", ".join(stale), file=sys.stderr)
        return 1
    if mode == "check":
        print("openapi/: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))

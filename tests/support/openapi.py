"""Writes or checks `openapi/<service>.json`: the documents the code generates, committed.

Each service is loaded in a process of its own (`python -c`), as services never share one.
Contracts with outside systems are checked the same way: `openapi/journal-vendor.json` (the API
the journal vendor calls and the webhooks Vern sends it) comes from the registry's code.
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
# Outside contracts: document name -> (the service whose code holds it, the function returning it).
CONTRACTS = {"journal-vendor": ("registry", "vern.registry.journal.contract:vendor_contract")}
GENERATE_CONTRACT = """
import json, sys
from {module} import {function}
sys.stdout.write(json.dumps({function}(), indent=2, ensure_ascii=False, sort_keys=True) + "\\n")
"""


def generate(name: str, code: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code or GENERATE.format(name=name)],
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


def documents() -> dict[str, str]:
    """Every document by name, each generated in a process of the service whose code holds it."""
    codes: dict[str, tuple[str, str | None]] = {name: (name, None) for name in SERVICES}
    for document, (service, target) in CONTRACTS.items():
        module, function = target.split(":")
        codes[document] = (service, GENERATE_CONTRACT.format(module=module, function=function))
    return {name: generate(service, code) for name, (service, code) in codes.items()}


def main(mode: str) -> int:
    stale = []
    for name, document in documents().items():
        path = ROOT / "openapi" / f"{name}.json"
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

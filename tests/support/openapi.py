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
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("registry", "consent", "dsar", "scheduler")
GENERATE = """
import json, sys
from vern.{name}.main import create_app
sys.stdout.write(json.dumps(create_app().openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\\n")
"""
# Outside contracts: document name -> its parts, each (the service whose code holds it, the
# function returning it); the parts' paths, webhooks and schemas are merged in this order.
CONTRACTS = {
    "journal-vendor": (
        ("registry", "vern.registry.journal.contract:vendor_contract"),
        ("dsar", "vern.dsar.tasks.contract:vendor_contract"),
    )
}
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


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One document from its parts: the first part's info, everyone's paths, webhooks and
    schemas (a name two parts define must mean the same)."""
    document = parts[0]
    for part in parts[1:]:
        for key in ("paths", "webhooks"):
            for name, item in part.get(key, {}).items():
                if name in document.setdefault(key, {}):
                    raise ValueError(f"{key} {name} is defined twice")
                document[key][name] = item
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in part.get("components", {}).get("schemas", {}).items():
            if schemas.setdefault(name, schema) != schema:
                raise ValueError(f"schema {name} differs between the contract's parts")
        for name, scheme in part.get("components", {}).get("securitySchemes", {}).items():
            document["components"].setdefault("securitySchemes", {}).setdefault(name, scheme)
    return document


def documents() -> dict[str, str]:
    """Every document by name, each generated in a process of the service whose code holds it
    (an outside contract: each part in its service's process, then merged)."""
    docs = {name: generate(name) for name in SERVICES}
    for document, parts in CONTRACTS.items():
        generated = [
            json.loads(generate(service, GENERATE_CONTRACT.format(module=m, function=f)))
            for service, target in parts
            for m, f in [target.split(":")]
        ]
        merged = merge(generated)
        docs[document] = json.dumps(merged, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return docs


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

"""At the end of a contract run, how many calls were made of each kind and how many answered 5xx."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    service = sys.modules.get("tests.contract.test_service")
    if service is None:
        return
    for kind, unit in (("schemathesis", "operations"), ("hostile", "URLs")):
        targets = {target for k, target in service.CALLS if k == kind}
        if not targets:
            continue
        calls = sum(n for (k, _target), n in service.CALLS.items() if k == kind)
        errors = {target: n for (k, target), n in service.SERVER_ERRORS.items() if k == kind}
        line = f"contract {service.NAME} {kind}: {calls} calls to {len(targets)} {unit}, "
        if kind == "schemathesis":
            line += f"{sum(service.REFUSED_TOKENS.values())} refused the run's token (401), "
        line += f"{sum(errors.values())} server errors (5xx)"
        terminalreporter.write_line(line + (f": {sorted(errors.items())}" if errors else ""))

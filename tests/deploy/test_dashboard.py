"""The Grafana dashboard in deploy/grafana reads only metrics Vern exports, by labels Vern sets."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "vern-dashboard.json"
EXPORTERS = [
    ROOT / "services" / "kit" / "src" / "vern" / "kit" / "metrics.py",
    ROOT / "services" / "scheduler" / "src" / "vern" / "scheduler" / "monitoring" / "metrics.py",
]
SUFFIXES = ("_bucket", "_count", "_sum", "_total")


def _expressions(dashboard: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def test_the_dashboard_reads_only_metrics_vern_exports() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    exported = {
        name
        for source in EXPORTERS
        for name in re.findall(r'"(vern_[a-z_]+)"', source.read_text(encoding="utf-8"))
    }
    used = set()
    for expr in _expressions(dashboard):
        for name in re.findall(r"\bvern_[a-z_]+", expr):
            for suffix in SUFFIXES:
                name = name.removesuffix(suffix)
            used.add(name)
    assert used, "the dashboard reads no Vern metric"
    assert used <= exported, used - exported
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])


def test_no_panel_groups_by_a_label_that_could_hold_an_id() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    allowed = {"service", "route", "status", "method", "target", "what", "job", "rule", "le"}
    for expr in _expressions(dashboard):
        for labels in re.findall(r"by \(([^)]*)\)", expr):
            assert {label.strip() for label in labels.split(",")} <= allowed, expr

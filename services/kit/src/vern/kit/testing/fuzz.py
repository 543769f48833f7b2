"""Hypothesis settings for the fuzz properties: a modest number of examples in `make test`, more
with `VERN_FUZZ_EXAMPLES` (`make fuzz` runs them with 5,000)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("VERN_FUZZ_EXAMPLES", "100"))

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

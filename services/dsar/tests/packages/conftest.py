"""Access package fixtures: the centres' profiles, as the request tests put them in force."""

from __future__ import annotations

from ..requests.conftest import nokbergen, tryggere

__all__ = ["nokbergen", "tryggere"]

"""Task fixtures: the request fixtures (profiles, clock, filing) serve here too."""

from __future__ import annotations

from ..requests.conftest import clock, nokbergen, tryggere

__all__ = ["clock", "nokbergen", "tryggere"]

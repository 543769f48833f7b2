"""The profile fixtures of the persons tests (Nok. Bergen by default, Tryggere, every field)."""

from __future__ import annotations

from ..persons.conftest import use_profile

__all__ = ["use_profile"]

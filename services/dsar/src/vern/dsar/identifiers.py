"""Normalisation of national ids, so that a request's blind index matches the BankID login's.
(Email addresses are normalised by `vern.kit.identifiers`.)"""

from __future__ import annotations

from stdnum.no import fodselsnummer

from vern.kit.identifiers import normalise_national_id

__all__ = ["compact_national_id", "normalise_national_id"]


def compact_national_id(value: str) -> str:
    """The national id from a BankID token: already verified by the issuer, only compacted."""
    return str(fodselsnummer.compact(value))

"""Identifiers consent stores (and indexes blindly): only email addresses, in the kit's normal form."""

from vern.kit.identifiers import normalise_email

__all__ = ["normalise_email"]

"""Data subject requests (innsyn, retting, sletting, begrensning, protest)."""

"""The retention preview for the data protection officer: what will be deleted, and what was."""

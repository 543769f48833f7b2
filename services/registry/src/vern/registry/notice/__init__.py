"""The public privacy notice (personvernerklæring), rendered from the org profile."""

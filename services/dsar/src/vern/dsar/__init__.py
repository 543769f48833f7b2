"""Vern dsar service."""

"""Vern consent service."""

"""Vern scheduler service."""

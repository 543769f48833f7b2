"""Vern registry service."""

"""Shared infrastructure for Vern's services; imports nothing from any service."""

"""Test support for Vern's services: real databases, signed tokens, an ASGI client."""

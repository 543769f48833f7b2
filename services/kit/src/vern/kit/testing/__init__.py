"""Test support for Vern's services: real databases, signed tokens, an ASGI client."""

import socket


def free_port() -> int:
    """A loopback port nothing listens on right now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])

"""Rate limits of the endpoints anyone may call, per truncated client network (`limits`).

A public route declares its kind: `dependencies=[RateLimited("public")]`; the limits per kind are
the settings' `rate_limits`. The key is the caller's /24 (IPv4) or /48 (IPv6) network, never the
full address, and nothing of it is logged.
"""

from __future__ import annotations

import ipaddress
import math
import time
from typing import Any

from fastapi import Depends, Request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from vern.kit.errors import TooManyRequests
from vern.kit.settings import ServiceSettings

IPV4_PREFIX = 24
IPV6_PREFIX = 48


def client_network(host: str | None) -> str:
    """The caller's network in CIDR notation ("unknown" when the peer is not an IP address)."""
    try:
        address = ipaddress.ip_address((host or "").split("%", 1)[0])
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


class RateLimits:
    """Moving-window counters for each kind of public endpoint."""

    def __init__(self, settings: ServiceSettings, *, namespace: str) -> None:
        self.namespace = namespace
        self.items: dict[str, list[RateLimitItem]] = {
            kind: list(parse_many(spec)) for kind, spec in settings.rate_limits.items()
        }
        self.storage = storage_from_string(settings.rate_limit_storage)
        self.limiter = MovingWindowRateLimiter(self.storage)

    def hit(self, kind: str, key: str) -> int | None:
        """Counts one request; None if allowed, else the seconds until the next may come."""
        for item in self.items.get(kind, []):
            if not self.limiter.hit(item, self.namespace, kind, key):
                stats = self.limiter.get_window_stats(item, self.namespace, kind, key)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None

    def reset(self) -> None:
        self.storage.reset()


def RateLimited(kind: str) -> Any:  # noqa: N802 - reads as a marker in `dependencies=[...]`
    """A dependency refusing a caller's network with 429 and `Retry-After` past the kind's limit."""

    def check(request: Request) -> None:
        limits: RateLimits = request.app.state.rate_limits
        retry_after = limits.hit(
            kind, client_network(request.client.host if request.client else None)
        )
        if retry_after is not None:
            raise TooManyRequests(
                "too many requests; try again later", headers={"Retry-After": str(retry_after)}
            )

    return Depends(check)

"""Rate limit for the public forms that send e-mail, per truncated IP network (`limits`)."""

from __future__ import annotations

import math
import time

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

NAMESPACE = "consent_public_form"


class FormRateLimiter:
    """Counts requests per key in moving windows; in memory per process by default (a shared
    store such as `redis://...` makes the limit hold across replicas)."""

    def __init__(self, spec: str, storage_uri: str = "memory://") -> None:
        self.items = parse_many(spec)
        self.storage = storage_from_string(storage_uri)
        self.limiter = MovingWindowRateLimiter(self.storage)

    def hit(self, key: str) -> int | None:
        """Counts one request; None if allowed, else the seconds until the next one may come."""
        for item in self.items:
            if not self.limiter.hit(item, NAMESPACE, key):
                stats = self.limiter.get_window_stats(item, NAMESPACE, key)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None

    def reset(self) -> None:
        self.storage.reset()

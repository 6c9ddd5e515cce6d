"""Remembering that a service is down, so that each caller does not pay for
a failed connection on every request, and says so once per outage rather
than once per request. Used where Redis is optional for the request at
hand: the cache behind the rate limits (feedback/limits.py) and live
updates (feedback/live.py)."""

from __future__ import annotations

import logging
import time


class Breaker:
    """After a failure, `is_open()` is true for `seconds`: callers skip the
    service (or use their fallback) until then, then try it again."""

    def __init__(self, name: str, logger: logging.Logger, seconds: float = 5.0) -> None:
        self.name = name
        self.log = logger
        self.seconds = seconds
        self._down_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self._down_until

    def failed(self, exc: BaseException) -> None:
        if not self._down_until:
            self.log.warning("%s: Redis unreachable (%s); carrying on without it", self.name, exc)
        self._down_until = time.monotonic() + self.seconds

    def succeeded(self) -> bool:
        """Record a success; True when it ends an outage."""
        if not self._down_until:
            return False
        self.log.warning("%s: Redis is back", self.name)
        self._down_until = 0.0
        return True

"""Per-address limits on what anyone may do without an account, and the
cache they count in. The one place the public form, the API, the lookup
and tracking pages and the private link ask "has this address done too
much?" (docs/citizens.md lists the budgets).

Counts live in the default cache, which is Redis in production, shared by
every web process. Redis must not be able to take intake down with it:
while it cannot be reached, `FallbackRedisCache` counts in this process's
memory instead and logs a warning, so the limits still hold per process
(a flood is slowed, not let through) and every report is still accepted.
Anything else going wrong in a limit check lets the request through
(fails open) with a logged warning: losing a report is worse than letting
a few extra through for a minute.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.redis_cache import RedisCache
from feedback.outage import Breaker

log = logging.getLogger(__name__)

# Budgets (groups). The public form and the anonymous API share SUBMIT:
# one address gets one budget of new reports, whichever door it uses.
SUBMIT = "submit"
SUPPORT = "support"
# Look-ups by code and tracking pages: one budget against guessing codes.
LOOKUP = "lookup"
# The form's challenge read aloud (speech costs CPU): the look-up rate.
CAPTCHA_AUDIO = "captcha-audio"
# Wrong private-link secrets: counted per address, checked on every use.
PRIVATE_LINK = "private-link"
# Alert sign-ups: each may mail a confirmation, so few per address.
ALERTS = "alerts"

# Redis errors that mean "not reachable now", as opposed to a bad command.
_OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


def client_address(request: HttpRequest) -> str:
    """The address a limit (or a supporter's fingerprint) is counted for.
    Behind a proxy, RATELIMIT_IP_META_KEY names the header it sets; of a
    list (X-Forwarded-For) the last entry is the one our proxy appended,
    the others are whatever the client sent. An IPv6 client counts by its
    /64: one household or phone gets a whole /64 and could rotate through it."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    raw = request.META.get(meta_key) or request.META.get("REMOTE_ADDR") or ""
    address = raw.split(",")[-1].strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def client_ip(request: HttpRequest) -> str | None:
    """client_address when it is an IP address (None otherwise): the
    address django-axes counts failed sign-ins for (AXES_CLIENT_IP_CALLABLE),
    so the lock-out and the limits agree on who the client is, behind a
    proxy too."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _address_key(group: str, request: HttpRequest) -> str:
    return client_address(request)


def limited(request: HttpRequest, group: str, rate: str, *, increment: bool = True) -> bool:
    """Has this address used up `rate` (django-ratelimit syntax, "10/h")
    in budget `group`? With `increment`, this request counts against it."""
    try:
        return is_ratelimited(
            request, group=group, key=_address_key, rate=rate, method=ALL, increment=increment
        )
    except Exception:
        log.warning("rate limit %s could not be checked; letting the request in", group)
        return False


def private_link_refused(request: HttpRequest) -> bool:
    """Has this address given too many wrong private-link secrets
    (FEEDBACK_PRIVATE_LINK_RATE)? Asked on every use of a private link, by
    the pages and the API alike; only wrong ones count (wrong_private_link),
    so a reporter using their own link is never slowed."""
    return limited(request, PRIVATE_LINK, settings.FEEDBACK_PRIVATE_LINK_RATE, increment=False)


def wrong_private_link(request: HttpRequest) -> None:
    """Count a wrong secret (or an unknown code) against this address."""
    limited(request, PRIVATE_LINK, settings.FEEDBACK_PRIVATE_LINK_RATE)


_BREAKERS: dict[str, Breaker] = {}


class FallbackRedisCache(RedisCache):
    """Django's Redis cache that keeps working while Redis is down: each
    call that cannot reach Redis is answered by a cache in this process's
    memory, and for a few seconds after a failure Redis is not tried at all
    (so an outage does not cost every request a connection attempt). A
    warning is logged when Redis is lost and when it is back.
    Values written during the outage stay local and are dropped when Redis
    returns: counters restart, cached pages are recomputed."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # Django makes a cache object per thread; the fallback counts and the
        # outage are the process's, so both are keyed by the location
        # (LocMemCache keeps its data in module globals by name).
        self._local = LocMemCache(f"feedback-fallback:{server}", {})
        self._breaker = _BREAKERS.setdefault(str(server), Breaker("cache", log))

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._breaker.is_open():
            return getattr(self._local, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except _OUTAGE as exc:
            self._breaker.failed(exc)
            return getattr(self._local, name)(*args, **kwargs)
        if self._breaker.succeeded():
            self._local.clear()
        return result

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        return self._call("clear")


class RequestBodyLimit:
    """A body larger than FEEDBACK_MAX_REQUEST_BYTES is refused from its
    Content-Length, before Django reads it: a 40 MB upload is never written
    to a temporary file only to be refused afterwards. The answer is a 413
    in the page's shape (the API's error shape comes from
    api.middleware.MachineErrors, which wraps this)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.FEEDBACK_MAX_REQUEST_BYTES:
            return too_large(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    """The 413 page, in the staff or the public site's layout."""
    staff = request.path.startswith("/staff/")
    context = {
        "layout": "staff/layout.html" if staff else "public/layout.html",
        "back": request.path,
        "max_mb": settings.FEEDBACK_MAX_REQUEST_BYTES // (1024 * 1024),
    }
    return render(request, "413.html", context, status=413)

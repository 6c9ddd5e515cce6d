"""API keys: made, looked up, limited. A key reads "hnk_<prefix>_<secret>";
the prefix finds the row, the SHA-256 of the whole key must match. The key
itself is shown once (admin message or `create_api_key` output) and never
stored."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_ratelimit.core import is_ratelimited

from api.models import ApiClient

log = logging.getLogger(__name__)

KEY_PREFIX = "hnk_"
# last_used_at is written at most this often per key, not on every call.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(client: ApiClient) -> str:
    """Give `client` a new key (replacing any old one) and return it; the
    caller saves the client and shows the key once."""
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    client.prefix = prefix
    client.key_hash = _hash(key)
    return key


def client_for_key(key: str) -> ApiClient | None:
    """The client whose key this is (revoked ones too: the caller says
    which), or None for an unknown or malformed key."""
    if not key.startswith(KEY_PREFIX) or key.count("_") < 2:
        return None
    prefix = key[len(KEY_PREFIX) :].split("_", 1)[0]
    client = ApiClient.objects.select_related("office", "user").filter(prefix=prefix).first()
    if client is None or not constant_time_compare(client.key_hash, _hash(key)):
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > TOUCH_EVERY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def over_limit(request, client: ApiClient) -> str | None:
    """ "rate" or "quota" when this call is over the client's own limit, else
    None. Counters live in the cache; when it is down the call goes through
    (an outage of Redis must not take every partner down with it)."""
    try:
        if is_ratelimited(
            request,
            group=f"api-client:{client.pk}",
            key=lambda group, request: str(client.pk),
            rate=client.rate_limit,
            increment=True,
        ):
            return "rate"
        day = timezone.localdate().isoformat()
        counter = f"api-quota:{client.pk}:{day}"
        cache.add(counter, 0, 2 * 24 * 3600)
        if cache.incr(counter) > client.daily_quota:
            return "quota"
    except Exception:
        log.warning("API limits for client %s not checked: cache unavailable", client.pk)
    return None

"""Rate limits for the public hotline: fixed-window counters in Django's cache.

With the file-based cache (production default) the counters are shared by every worker
process; with Redis/Memcached by every host. The file cache increments by read-then-write, so
under a burst of truly simultaneous requests a few may slip past the limit; the global limits
bound that. Clients are keyed by an HMAC of their address (no address is stored in clear).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds
    per_client: bool = True


def client_id(request) -> str:
    header = getattr(settings, "GIAMSAT_HOTLINE_IP_HEADER", "") or "REMOTE_ADDR"
    address = (request.META.get(header) or request.META.get("REMOTE_ADDR") or "?").split(",")[0]
    digest = hmac.new(settings.SECRET_KEY.encode(), address.strip().encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def hit(request, limit: Limit) -> int | None:
    """Count one request against ``limit``; the seconds to wait if it is exceeded, else None."""
    if limit.limit <= 0:
        return None
    now = time.time()
    window_index = int(now // limit.window)
    who = client_id(request) if limit.per_client else "all"
    key = f"gs-rl:{limit.scope}:{who}:{window_index}"
    cache.add(key, 0, timeout=limit.window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 5)
        count = 1
    if count > limit.limit:
        return max(1, int(limit.window - (now % limit.window)))
    return None


def first_exceeded(request, limits: list[Limit]) -> int | None:
    """Check every limit (all are counted); the longest wait among those exceeded."""
    waits = [w for w in (hit(request, lim) for lim in limits) if w is not None]
    return max(waits) if waits else None

"""A fixed-window counter per key in Django's cache (Redis in production and in the tests),
shared by every web process: complaints per client address, certificate lookups."""

from __future__ import annotations

from django.core.cache import cache


def throttle_count(key: str, *, window_seconds: int) -> int:
    """Count one hit on ``key`` in the current window; return the hits so far in it."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1

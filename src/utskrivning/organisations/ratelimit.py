"""Failed logins per username and address, counted in the cache over a fixed window.

Five guesses per 15 minutes per username and address slows password guessing to a few hundred a
day without locking a user out for good: another address, or the next window, still gets in.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

FAILURE_LIMIT = 5
WINDOW_SECONDS = 15 * 60


def _key(username: str, ip: str | None) -> str:
    # Hashed: the cache key must not hold the username, and memcached wants short ASCII keys.
    digest = hashlib.sha256(f"{username.casefold()}\0{ip}".encode()).hexdigest()
    return f"login-failures:{digest}"


def login_blocked(*, username: str, ip: str | None) -> bool:
    count, _ = cache.get(_key(username, ip), (0, 0.0))
    return bool(count >= FAILURE_LIMIT)


def login_failure_record(*, username: str, ip: str | None) -> None:
    """Count one failure; the window runs from the first one.

    The window's end is stored with the count because cache.incr() on the database cache writes
    the value back with the default timeout, which would restart the window at every guess.
    Two workers counting at the same instant may lose one count; the limit stays a limit.
    """
    key = _key(username, ip)
    now = time.time()
    count, ends = cache.get(key, (0, now + WINDOW_SECONDS))
    cache.set(key, (count + 1, ends), timeout=max(1, round(ends - now)))


def login_failures_reset(*, username: str, ip: str | None) -> None:
    cache.delete(_key(username, ip))

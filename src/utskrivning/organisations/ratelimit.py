"""Failed logins counted in the cache over a fixed window, on three counters.

Per username and address: five guesses per 15 minutes slow password guessing to a few hundred a
day without locking a user out for good (another address, or the next window, still gets in).
Per address, over every name: one address cannot try a little on many accounts. Per name, over
every address: many addresses cannot share out the guessing of one account; its limit is high, so
locking a user out takes many addresses.

The name is counted as Django logs in with it (`UsernameField`: stripped, NFKC) and casefolded,
so " analytiker", "analytiker " and full-width "ａｎａｌｙｔｉｋｅｒ" are one name, not three
fresh sets of attempts.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from enum import StrEnum

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60


class Counter(StrEnum):
    NAME_AND_ADDRESS = "name_and_address"
    ADDRESS = "address"
    NAME = "name"


LIMITS: dict[Counter, int] = {
    Counter.NAME_AND_ADDRESS: 5,
    Counter.ADDRESS: 20,
    Counter.NAME: 50,
}
FAILURE_LIMIT = LIMITS[Counter.NAME_AND_ADDRESS]


def login_name(typed: str) -> str:
    """The name as Django's login form reads it (strip, NFKC), casefolded for counting."""
    return unicodedata.normalize("NFKC", typed.strip()).casefold()


def _key(counter: Counter, username: str, ip: str | None) -> str:
    name = login_name(username) if counter is not Counter.ADDRESS else ""
    address = ip if counter is not Counter.NAME else ""
    # Hashed: the cache key must not hold the username, and memcached wants short ASCII keys.
    digest = hashlib.sha256(f"{counter}\0{name}\0{address}".encode("utf-8", "replace"))
    return f"login-failures:{digest.hexdigest()}"


def _count(key: str) -> int:
    count, _ = cache.get(key, (0, 0.0))
    return int(count)


def login_blocked(*, username: str, ip: str | None) -> Counter | None:
    """The first counter at its limit, or None when the attempt may go ahead."""
    for counter, limit in LIMITS.items():
        if _count(_key(counter, username, ip)) >= limit:
            return counter
    return None


def login_failure_record(*, username: str, ip: str | None) -> list[Counter]:
    """Count one failure on every counter; returns those it brought to their limit (a lockout).

    The window runs from the first failure. Its end is stored with the count because
    cache.incr() on the database cache writes the value back with the default timeout, which
    would restart the window at every guess. Two workers counting at the same instant may lose
    one count; the limit stays a limit.
    """
    now = time.time()
    reached = []
    for counter, limit in LIMITS.items():
        key = _key(counter, username, ip)
        count, ends = cache.get(key, (0, now + WINDOW_SECONDS))
        cache.set(key, (count + 1, ends), timeout=max(1, round(ends - now)))
        if count + 1 == limit:
            reached.append(counter)
    return reached


def login_failures_reset(*, username: str, ip: str | None) -> None:
    """A successful login clears its own name's count at its address, not the other counters."""
    cache.delete(_key(Counter.NAME_AND_ADDRESS, username, ip))

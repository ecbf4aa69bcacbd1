"""What a process keeps of what it read: a map its threads share, bounded (emptied when full, as
the process's other keeps are), each entry good for `seconds` after it was put (None: until
cleared). The API keys, the organisations, the worklist's compiled SQL and rows, and the
episodes read for the engine's explanation (episodes.normalised) keep theirs here."""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    def __init__(self, *, most: int, seconds: float | None = None) -> None:
        self.most = most
        self.seconds = seconds
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """Those of `keys` kept and still good."""
        now = time.monotonic()
        with self._lock:
            found = {key: self._entries[key] for key in keys if key in self._entries}
        return {key: value for key, (put_at, value) in found.items() if self._good(put_at, now)}

    def put(self, key: K, value: V) -> None:
        self.put_many({key: value})

    def put_many(self, items: Mapping[K, V]) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._entries) + len(items) > self.most:
                self._entries.clear()
            self._entries.update((key, (now, value)) for key, value in items.items())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _good(self, put_at: float, now: float) -> bool:
        return self.seconds is None or now - put_at < self.seconds

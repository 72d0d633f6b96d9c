"""Slowing down password guessing at the login form, per account and per client address.

Failures are counted in a sliding window. Once a key (an account, an address) has ``limit``
failures in the window it is locked: for 1 s, then 2, 4... doubling with each further failure,
never longer than the window. A locked key gets a 429 without its password being checked. An
address may fail ``address_factor`` times as often as one account (several people may share it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Longest username kept as a key (longer ones are cut: memory stays bounded per attempt).
MAX_KEY_LENGTH = 128


@dataclass
class _Failures:
    times: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(
        self,
        limit: int,
        window: float,
        address_factor: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.address_factor = address_factor
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, _Failures] = {}

    @staticmethod
    def keys(username: str, address: str | None) -> list[tuple[str, bool]]:
        """The throttled keys of one attempt, each with whether it is an address."""
        return [
            (f"user:{username.strip().lower()[:MAX_KEY_LENGTH]}", False),
            (f"addr:{address or 'unknown'}", True),
        ]

    def _limit(self, is_address: bool) -> int:
        return self.limit * (self.address_factor if is_address else 1)

    def _purge(self, now: float) -> None:
        stale = [
            k
            for k, f in self._keys.items()
            if f.locked_until <= now and (not f.times or f.times[-1] <= now - self.window)
        ]
        for key in stale:
            del self._keys[key]

    def retry_after(self, username: str, address: str | None) -> float:
        """Seconds until an attempt is allowed (0: allowed now)."""
        now = self._clock()
        with self._lock:
            waits = [
                self._keys[key].locked_until - now
                for key, _ in self.keys(username, address)
                if key in self._keys
            ]
        return max([0.0, *waits])

    def failed(self, username: str, address: str | None) -> None:
        now = self._clock()
        with self._lock:
            self._purge(now)
            for key, is_address in self.keys(username, address):
                entry = self._keys.setdefault(key, _Failures())
                entry.times = [t for t in entry.times if t > now - self.window] + [now]
                excess = len(entry.times) - self._limit(is_address)
                if excess >= 0:
                    entry.locked_until = now + min(self.window, 2.0**excess)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._keys.pop(self.keys(username, None)[0][0], None)

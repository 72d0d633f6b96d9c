"""Authorization codes, kept in memory until redeemed or expired."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from authlib.oidc.core import AuthorizationCodeMixin

CODE_LIFETIME_SECONDS = 600


@dataclass(frozen=True)
class AuthorizationCode(AuthorizationCodeMixin):  # type: ignore[misc]
    """What a code stands for: who signed in, for which client, API and scope."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user_id: str
    audience: str
    auth_time: int
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at


class CodeStore:
    """Thread-safe in-memory storage; a code is found only by its own client and only once."""

    def __init__(self) -> None:
        self._codes: dict[str, AuthorizationCode] = {}
        self._lock = threading.Lock()

    def _purge_expired(self) -> None:
        for code in [c for c, item in self._codes.items() if item.is_expired()]:
            del self._codes[code]

    def save(self, item: AuthorizationCode) -> None:
        with self._lock:
            self._purge_expired()
            self._codes[item.code] = item

    def find(self, code: str, client_id: str) -> AuthorizationCode | None:
        with self._lock:
            item = self._codes.get(code)
            if item is None or item.client_id != client_id or item.is_expired():
                return None
            return item

    def take(self, code: str) -> AuthorizationCode | None:
        """Remove and return ``code`` in one step: of concurrent redemptions one gets it."""
        with self._lock:
            item = self._codes.pop(code, None)
        return None if item is None or item.is_expired() else item

    def delete(self, code: str) -> None:
        with self._lock:
            self._codes.pop(code, None)

    def nonce_in_use(self, client_id: str, nonce: str) -> bool:
        with self._lock:
            return any(
                item.client_id == client_id and item.nonce == nonce for item in self._codes.values()
            )

"""What the provider remembers of the tokens it issued, so that it can revoke them.

Every redeemed authorization code opens a *family*: the access tokens (by ``jti``) and refresh
tokens issued from that code and from its refresh tokens. The family is revoked as a whole when
its code is presented again (RFC 6749 section 4.1.2) or when one of its refresh tokens is used a
second time (rotation with reuse detection, RFC 6819 section 5.2.2.3, as Auth0 does).

Revoked access tokens are refused by ``/userinfo``; the API verifies JWTs locally and cannot see
this store (see ``server/api/auth.py``).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from server.idp.codes import AuthorizationCode

logger = logging.getLogger("server.idp")


@dataclass
class Family:
    """The grant one authorization code started."""

    client_id: str
    user_id: str
    audience: str
    scope: str
    auth_time: int
    revoked: bool = False
    access_jtis: dict[str, float] = field(default_factory=dict)  # jti -> exp
    refresh_tokens: set[str] = field(default_factory=set)


@dataclass
class RefreshToken:
    """One refresh token; Authlib's RefreshTokenGrant reads it through these methods."""

    token: str
    family: Family
    expires_at: float
    used: bool = False

    def check_client(self, client: object) -> bool:
        get_id = getattr(client, "get_client_id", None)
        return callable(get_id) and get_id() == self.family.client_id

    def get_scope(self) -> str:
        return self.family.scope

    def get_expires_in(self) -> int:
        return max(0, int(self.expires_at - time.time()))

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.family.revoked


class TokenStore:
    """Thread-safe: every check-and-change happens under one lock."""

    def __init__(self, refresh_lifetime: float, retention: float) -> None:
        self._lock = threading.Lock()
        self._refresh_lifetime = refresh_lifetime
        self._retention = retention  # how long a redeemed code is remembered
        self._by_code: dict[str, tuple[Family, float]] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._revoked_jtis: dict[str, float] = {}

    def _purge(self, now: float) -> None:
        for code in [c for c, (_, until) in self._by_code.items() if until <= now]:
            del self._by_code[code]
        for token in [t for t, item in self._refresh.items() if item.expires_at <= now]:
            del self._refresh[token]
        for jti in [j for j, exp in self._revoked_jtis.items() if exp <= now]:
            del self._revoked_jtis[jti]

    def _revoke(self, family: Family, reason: str) -> None:
        if not family.revoked:
            logger.warning(
                "%s: revoking %d access and %d refresh tokens of %s for client %s",
                reason,
                len(family.access_jtis),
                len(family.refresh_tokens),
                family.user_id,
                family.client_id,
            )
        family.revoked = True
        self._revoked_jtis.update(family.access_jtis)
        for token in family.refresh_tokens:
            self._refresh.pop(token, None)

    def open_family(self, code: AuthorizationCode) -> Family:
        """Called once, when ``code`` is taken from the code store: remember it as redeemed."""
        family = Family(code.client_id, code.user_id, code.audience, code.scope, code.auth_time)
        now = time.time()
        with self._lock:
            self._purge(now)
            self._by_code[code.code] = (family, now + self._retention)
        return family

    def family_of_code(self, code: str) -> Family | None:
        with self._lock:
            entry = self._by_code.get(code)
            return entry[0] if entry else None

    def code_replayed(self, code: str) -> bool:
        """``code`` was already redeemed: revoke what it gave. False for a code never seen."""
        with self._lock:
            entry = self._by_code.get(code)
            if entry is None:
                return False
            self._revoke(entry[0], "authorization code used twice")
            return True

    def record(
        self, family: Family, access_jti: str | None, exp: float, refresh: str | None
    ) -> None:
        """Remember what was just issued; if the family was revoked meanwhile, so is this."""
        with self._lock:
            if access_jti:
                family.access_jtis[access_jti] = exp
            if refresh:
                family.refresh_tokens.add(refresh)
                item = RefreshToken(refresh, family, time.time() + self._refresh_lifetime)
                self._refresh[refresh] = item
            if family.revoked:
                self._revoke(family, "tokens issued to a revoked grant")

    def new_refresh_token(self) -> str:
        return secrets.token_urlsafe(48)

    def use_refresh_token(self, token: str) -> RefreshToken | None:
        """Take ``token`` for one rotation. A second use revokes its whole family."""
        with self._lock:
            item = self._refresh.get(token)
            if item is None or item.is_expired() or item.family.revoked:
                return None
            if item.used:
                self._revoke(item.family, "refresh token reused")
                return None
            item.used = True
            return item

    def access_revoked(self, jti: str) -> bool:
        with self._lock:
            return jti in self._revoked_jtis

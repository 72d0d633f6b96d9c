"""The provider's own login session and the login form's CSRF token.

The cookie holds only a random session id; who signed in, and when, lives server-side in a
:class:`SessionStore`. Logout deletes the entry, so a copy of the cookie taken before logout no
longer signs anyone in (a signed cookie carrying the user itself would stay valid).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from flask import current_app, session

from server.idp.subject import Subject
from server.idp.users import User, UserDirectory

SESSION_KEY = "sid"
CSRF_KEY = "csrf"
EXTENSION_KEY = "stcomp_idp_sessions"


@dataclass(frozen=True)
class SignIn:
    user_id: str
    auth_time: int


class SessionStore:
    """Thread-safe map of session id to sign-in."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, SignIn] = {}

    def create(self, user_id: str, auth_time: int) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = SignIn(user_id, auth_time)
        return sid

    def get(self, sid: str) -> SignIn | None:
        with self._lock:
            return self._sessions.get(sid)

    def end(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)


def _store() -> SessionStore:
    store: SessionStore = current_app.extensions[EXTENSION_KEY]
    return store


def current_subject(users: UserDirectory) -> Subject | None:
    sid = session.get(SESSION_KEY)
    sign_in_ = _store().get(sid) if isinstance(sid, str) else None
    if sign_in_ is None:
        return None
    user = users.by_id(sign_in_.user_id)
    return Subject(user, sign_in_.auth_time) if user else None


def sign_in(user: User) -> Subject:
    sign_out()
    auth_time = int(time.time())
    session[SESSION_KEY] = _store().create(user.user_id, auth_time)
    return Subject(user, auth_time)


def sign_out() -> None:
    sid = session.get(SESSION_KEY)
    if isinstance(sid, str):
        _store().end(sid)
    session.clear()


def csrf_token() -> str:
    token = session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session[CSRF_KEY] = token
    return token


def csrf_valid(submitted: str) -> bool:
    expected = session.get(CSRF_KEY)
    # As bytes: compare_digest refuses str holding non-ASCII characters (a TypeError, a 500).
    return isinstance(expected, str) and hmac.compare_digest(
        submitted.encode("utf-8", "surrogatepass"), expected.encode()
    )

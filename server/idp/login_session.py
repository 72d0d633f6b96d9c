"""The provider's own login session (a signed cookie) and the login form's CSRF token."""

from __future__ import annotations

import hmac
import secrets
import time

from flask import session

from server.idp.subject import Subject
from server.idp.users import User, UserDirectory

USER_KEY = "user_id"
AUTH_TIME_KEY = "auth_time"
CSRF_KEY = "csrf"


def current_subject(users: UserDirectory) -> Subject | None:
    user_id = session.get(USER_KEY)
    auth_time = session.get(AUTH_TIME_KEY)
    if not isinstance(user_id, str) or not isinstance(auth_time, int):
        return None
    user = users.by_id(user_id)
    return Subject(user, auth_time) if user else None


def sign_in(user: User) -> Subject:
    session.clear()
    auth_time = int(time.time())
    session[USER_KEY] = user.user_id
    session[AUTH_TIME_KEY] = auth_time
    return Subject(user, auth_time)


def sign_out() -> None:
    session.clear()


def csrf_token() -> str:
    token = session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session[CSRF_KEY] = token
    return token


def csrf_valid(submitted: str) -> bool:
    expected = session.get(CSRF_KEY)
    return isinstance(expected, str) and hmac.compare_digest(submitted, expected)

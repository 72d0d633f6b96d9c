"""The Auth0 host's session state: who is logged in, the token, the answers of each pattern."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

_KEY = "auth0_state"
MESSAGES_PERMISSION = "read:messages"
# Answers that need no user (the public ping): the others belong to the user who obtained them.
PUBLIC_ANSWERS = frozenset({"component:ping", "host:/api/ping"})
_MAX_EVENTS = 12
_MAX_CELL = 100


def summarize(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=repr)
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


@dataclass
class Auth0State:
    """What the host knows. The access token stays in the server-side session state: it is
    never shown, only sent to the API as a bearer token."""

    auth: str = "unknown"  # unknown, logged_in, logged_out, expired
    user: dict[str, Any] | None = None
    access_token: str | None = None
    expires_at: float | None = None
    scope: str = ""
    status: str = "Waiting for the component"
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    message_from_component: str = ""
    events: list[dict[str, str]] = field(default_factory=list)
    toasts: list[str] = field(default_factory=list)
    changed: bool = False
    answers_of: str | None = None  # the user (sub) whose answers `answers` holds

    @property
    def token_valid(self) -> bool:
        """A token is held and not expired: the condition for the gated pages."""
        return (
            self.access_token is not None
            and self.expires_at is not None
            and self.expires_at > time.time()
        )

    @property
    def user_name(self) -> str:
        user = self.user or {}
        for claim in ("name", "nickname", "email", "sub"):
            if isinstance(user.get(claim), str) and user[claim]:
                return str(user[claim])
        return "unknown user"

    def may(self, permission: str) -> bool:
        """Whether the held token grants ``permission`` (its ``permissions`` or ``scope``
        claim, read for display: the API verifies the token itself)."""
        if not self.token_valid or self.access_token is None:
            return False
        import jwt

        try:
            claims = jwt.decode(self.access_token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return False
        granted = claims.get("permissions") or str(claims.get("scope", "")).split()
        return isinstance(granted, list) and permission in granted

    def _forget_answers(self) -> None:
        """Drop the answers a user obtained: they are not the next user's to see."""
        self.answers = {k: v for k, v in self.answers.items() if k in PUBLIC_ANSWERS}
        self.answers_of = None

    def log_in(self, user: dict[str, Any], token: str, expires_at: float, scope: str) -> None:
        if user.get("sub") != self.answers_of:
            self._forget_answers()
            self.answers_of = user.get("sub")
        self.auth, self.user, self.access_token = "logged_in", user, token
        self.expires_at, self.scope = expires_at, scope
        self.status = f"Logged in as {self.user_name}"

    def log_out(self, auth: str, status: str) -> None:
        self._forget_answers()
        self.auth, self.user, self.access_token, self.expires_at, self.scope = (
            auth,
            None,
            None,
            None,
            "",
        )
        self.status = status

    def check_expiry(self) -> bool:
        """Drop an expired token (checked on every run); True when it just expired."""
        if self.access_token is not None and not self.token_valid:
            self.log_out("expired", "The host found the access token expired")
            self.changed = True
            return True
        return False

    def record(self, event: str, data: Any, result: Any) -> None:
        self.events.append(
            {
                "No.": str(len(self.events) + 1),
                "event": event,
                "data": summarize(data),
                "result": summarize(result),
            }
        )
        del self.events[:-_MAX_EVENTS]
        self.changed = True

    def take_changed(self) -> bool:
        changed, self.changed = self.changed, False
        return changed

    def take_toasts(self) -> list[str]:
        toasts, self.toasts = self.toasts, []
        return toasts


def current() -> Auth0State:
    """This browser session's state, created on first use."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = Auth0State()
    auth0_state: Auth0State = st.session_state[_KEY]
    return auth0_state

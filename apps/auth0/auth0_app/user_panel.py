"""The status line and the logged-in user's expander, shown above the component."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from .state import Auth0State


def expiry_text(expires_at: float | None) -> str:
    if expires_at is None:
        return "—"
    return datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def status_line(auth0: Auth0State) -> None:
    if auth0.token_valid:
        st.success(
            f"**{auth0.user_name}** is logged in · token valid until "
            f"{expiry_text(auth0.expires_at)}",
            icon=":material/lock_open:",
        )
    elif auth0.auth == "expired":
        st.warning("Session expired: log in again", icon=":material/timer_off:")
    else:
        st.info("Not logged in: use the component's Log in button", icon=":material/lock:")
    st.caption(f"Last event: {auth0.status}")


def user_expander(auth0: Auth0State) -> None:
    user = auth0.user or {}
    with st.expander(f"User: {auth0.user_name}", expanded=True, icon=":material/person:"):
        st.markdown(
            f"**{auth0.user_name}** · {user.get('email', '')}  \n"
            f"Subject `{user.get('sub', '')}` · scope `{auth0.scope or '—'}`"
        )

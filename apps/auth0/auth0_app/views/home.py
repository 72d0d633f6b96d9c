"""Home: the four communication patterns between the component, the host and the APIs."""

from __future__ import annotations

import streamlit as st
from auth0_app import state
from auth0_app.answers import show_answer

auth0 = state.current()

st.subheader("1 · Messages both ways", anchor=False)
left, right = st.columns(2)
left.caption("Host → component: the sidebar's text arrives as a prop.")
right.caption("Component → host (onActionRequest `message`):")
right.markdown(f"> {auth0.message_from_component or '—'}")

st.subheader("2 · Authentication", anchor=False)
st.caption(
    "Login and logout run in a popup; the component keeps the session in local storage and "
    "reports every login, logout and expiry (onStatusUpdate)."
)
st.markdown(f"State: **{auth0.auth.replace('_', ' ')}** · {auth0.status}")

st.subheader("3 · API without authentication", anchor=False)
show_answer(
    "Ping via the component (Next.js /api/ping)", "ping", auth0.answers.get("component:ping")
)

st.subheader("4 · API with authentication", anchor=False)
component_side, host_side = st.columns(2)
with component_side:
    st.caption("The component → its Next.js route → the API.")
    show_answer("Pong via the component", "pong", auth0.answers.get("component:pong"))
    show_answer(
        "Pong (scoped) via the component",
        "pong-scoped",
        auth0.answers.get("component:pong-scoped"),
    )
with host_side:
    st.caption("The component → the host (onActionRequest) → the API.")
    show_answer("Pong via the host", "host-pong", auth0.answers.get("host:/api/pong"))
    show_answer(
        "Pong (scoped) via the host",
        "host-pong-scoped",
        auth0.answers.get("host:/api/pong-scoped"),
    )

with st.expander("Event report", icon=":material/receipt_long:"):
    if auth0.events:
        st.dataframe(list(reversed(auth0.events)), hide_index=True, width="stretch")
    else:
        st.caption("No events yet.")

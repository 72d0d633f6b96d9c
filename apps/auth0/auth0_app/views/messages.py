"""Messages (gated): the host calls the scoped API route with the user's token on each visit."""

from __future__ import annotations

import streamlit as st
from auth0_app import api_client, settings, state
from auth0_app.answers import show_answer

auth0 = state.current()
if not auth0.token_valid:  # hidden then; guards a stale link
    st.warning("Log in first.")
    st.stop()

st.subheader("Messages", anchor=False)
st.caption(f"The host calls `/api/pong-scoped` for {auth0.user_name}: it needs `read:messages`.")
answer = api_client.call_api(settings.load().api_url, "/api/pong-scoped", auth0.access_token)
show_answer("Scoped messages", "messages", answer.as_dict())

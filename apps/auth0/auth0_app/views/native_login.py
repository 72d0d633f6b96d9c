"""Streamlit login (the fifth pattern): ``st.login`` signs in with the same provider, on the
server side, with no component at all; the host then calls the API with the access token that
``expose_tokens`` puts in ``st.user.tokens``."""

from __future__ import annotations

import streamlit as st
from auth0_app import api_client, settings
from auth0_app.answers import show_answer
from auth0_app.login_secrets import PROVIDER

st.subheader("Streamlit login (st.login)", anchor=False)
st.caption(
    "Streamlit's own OIDC login against the same provider: the server runs the code flow "
    "(with PKCE) and keeps the user in a signed cookie; no component is involved."
)

try:
    configured = PROVIDER in st.secrets.get("auth", {})
except FileNotFoundError:
    configured = False
if not configured:
    st.info("No [auth] secrets: run the stack with `stcomp up auth0`, which writes them.")
    st.stop()

if not st.user.get("is_logged_in"):
    st.markdown("Not signed in with Streamlit.")
    st.button("Sign in with st.login", on_click=st.login, args=(PROVIDER,), type="primary")
    st.stop()

name = str(st.user.get("name") or st.user.get("email") or st.user.get("sub"))
with st.container(key="native-user"):
    st.markdown(f"Signed in with Streamlit as **{name}** (`{st.user.get('sub')}`).")
st.button("Sign out (st.logout)", on_click=st.logout)

token = st.user.tokens.get("access")
api_url = settings.load().api_url
left, right = st.columns(2)
with left:
    show_answer(
        "Pong with st.login's token",
        "native-pong",
        api_client.call_api(api_url, "/api/pong", token).as_dict(),
    )
with right:
    show_answer(
        "Pong (scoped) with st.login's token",
        "native-pong-scoped",
        api_client.call_api(api_url, "/api/pong-scoped", token).as_dict(),
    )

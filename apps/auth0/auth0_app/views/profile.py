"""Profile (gated): the user and the access token's claims, as the host received them."""

from __future__ import annotations

import jwt
import streamlit as st
from auth0_app import state
from auth0_app.user_panel import expiry_text

auth0 = state.current()
if not auth0.token_valid or auth0.access_token is None:  # hidden then; guards a stale link
    st.warning("Log in first.")
    st.stop()

st.subheader(f"Profile of {auth0.user_name}", anchor=False)
st.json(auth0.user or {})
st.markdown(f"Access token valid until **{expiry_text(auth0.expires_at)}**.")
st.caption("Claims decoded for display only; the API verifies the signature.")
claims = jwt.decode(auth0.access_token, options={"verify_signature": False})
shown = ("iss", "aud", "sub", "azp", "scope", "permissions", "iat", "exp")
st.json({name: claims[name] for name in shown if name in claims})

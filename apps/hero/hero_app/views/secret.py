"""Secret page: listed in the navigation only while the user is logged in."""

from __future__ import annotations

import streamlit as st
from hero_app import state

hero = state.current()
if not hero.token:  # the navigation hides this page then; this guards a stale link
    st.warning("Log in first.")
    st.stop()

st.subheader("Secret", anchor=False)
st.success("The vault is open: only logged-in users see this page.", icon=":material/key:")
st.metric("Events received this session", len(hero.report))

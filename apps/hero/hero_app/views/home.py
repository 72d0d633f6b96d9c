"""Home view: what the host received from the component."""

from __future__ import annotations

import streamlit as st
from hero_app import state

hero = state.current()
st.subheader("Event report", anchor=False)
if hero.report:
    st.table(list(reversed(hero.report)), hide_index=True)
else:
    st.caption("No events yet: generate a password guess above.")

"""{{ cookiecutter.title }}: an example Streamlit app hosting the component.

Run it from the workspace root with ``stcomp up {{ cookiecutter.name }}``.
"""

from __future__ import annotations

import streamlit as st

from {{ cookiecutter.name }} import {{ cookiecutter.name }}

KEY = "{{ cookiecutter.name }}"

st.set_page_config(page_title="{{ cookiecutter.title }}", layout="centered")
st.title("{{ cookiecutter.title }}")
st.caption("Props go into the component as args; its events come back to this script.")

greeting = st.text_input("Greeting", value="Hello from Streamlit", key=f"{KEY}-greeting")
clicks = {{ cookiecutter.name }}(greeting, key=KEY)

with st.container(key=f"{KEY}-clicks"):
    if clicks is None:
        st.markdown("No clicks yet: press the component's button.")
    else:
        st.markdown(f"Streamlit saw **{clicks}** click{'' if clicks == 1 else 's'}")

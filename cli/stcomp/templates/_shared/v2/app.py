"""{{ cookiecutter.title }}: an example Streamlit app hosting the component (Components v2).

Run it from the workspace root with ``stcomp up {{ cookiecutter.name }}``: the front end's watch
build and Streamlit together; a saved change shows in the open page by itself.
"""

from __future__ import annotations

import streamlit as st

from {{ cookiecutter.name }} import {{ cookiecutter.name }}

KEY = "{{ cookiecutter.name }}"
MESSAGES = f"{KEY}-messages"

st.set_page_config(page_title="{{ cookiecutter.title }}", layout="centered")
st.title("{{ cookiecutter.title }}")
st.caption("Data goes into the component; its state and trigger values come back to Python.")


def on_submitted() -> None:
    """A trigger value arrived: keep it (it is set for this one rerun only)."""
    sent = st.session_state[KEY]["submitted"]
    st.session_state.setdefault(MESSAGES, []).append(str(sent))


greeting = st.text_input("Greeting", value="Hello from Streamlit", key=f"{KEY}-greeting")
result = {{ cookiecutter.name }}(greeting, key=KEY, on_submitted_change=on_submitted)

with st.container(key=f"{KEY}-clicks"):
    clicks = result.clicks or 0
    if not clicks:
        st.markdown("No clicks yet: press the component's button.")
    else:
        st.markdown(f"Streamlit saw **{clicks}** click{'' if clicks == 1 else 's'}")

with st.container(key=f"{KEY}-messages"):
    sent = st.session_state.get(MESSAGES, [])
    st.markdown(f"Messages received: {', '.join(sent)}" if sent else "No messages yet.")

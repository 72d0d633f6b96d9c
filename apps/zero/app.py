"""Component Zero: a Streamlit host app with a plain HTML/JS v1 component (no build step).

Run from the repository root: ``streamlit run apps/zero/app.py``. The component's files in
``apps/zero/component`` are always served by Streamlit itself.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st

from stcomp_host import ComponentHost, declare

HERE = Path(__file__).resolve().parent

COMPONENT_KEY = "zero"
GREETING = "Hello from Streamlit"
INITIAL_TEXT = ""  # the box shows its placeholder: typing starts from nothing
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def escape_markdown(text: str) -> str:
    """Show ``text`` literally inside st.markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def on_text_change(data: Any) -> str:
    """The component sends ``{"text": ...}`` when the user presses Send or Enter."""
    if isinstance(data, dict):
        return str(data.get("text", ""))
    return str(data)


def on_error(message: str) -> None:
    st.session_state["zero_last_error"] = message


def count_run() -> int:
    runs: int = st.session_state.get("zero_rerun_count", 0) + 1
    st.session_state["zero_rerun_count"] = runs
    return runs


st.set_page_config(page_title="stcomp · Component Zero", page_icon="🧩", layout="centered")
zero = declare("zero", build_dir=HERE / "component")
host = ComponentHost(
    zero, key=COMPONENT_KEY, events={"onTextChange": on_text_change}, on_error=on_error
)

rerun_count = count_run()
timestamp = datetime.now(UTC).isoformat(timespec="milliseconds")

st.title("Component Zero")
st.caption(
    "A plain HTML/JS component that speaks the Streamlit component protocol directly: "
    "props go in as args, events come back as values."
)

typed = host.render(
    greeting=GREETING, initial_text=INITIAL_TEXT, rerun_count=rerun_count, timestamp=timestamp
)

with st.container(key="zero-typed"):
    if typed is None:
        st.markdown("Nothing typed yet: type in the component and press **Send**.")
    else:
        st.markdown(f"You typed: **{escape_markdown(typed)}**")

st.button("Rerun", key="zero-rerun", help="Run the script again and send new props")
st.caption(f"Script run {rerun_count} · props sent at {timestamp}")

last_error = st.session_state.get("zero_last_error")
if last_error:
    st.error(f"Component error: {last_error}", icon="⚠️")

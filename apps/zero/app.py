"""Component Zero: a Streamlit host app with a plain HTML/JS component (no build step), twice:
the v1 component (an iframe speaking the component protocol) and the same component written
against Components v2 (no iframe), side by side.

Run from the repository root: ``streamlit run apps/zero/app.py``. The v1 component's files in
``apps/zero/component`` are always served by Streamlit itself; the v2 one's (``component_v2``)
are passed to it inline.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st
from zero_v2 import zero_v2

from stcomp_host import ComponentHost, declare

HERE = Path(__file__).resolve().parent

COMPONENT_KEY = "zero"
V2_KEY = "zero-v2"
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


def on_v2_text() -> None:
    """The v2 component's trigger value: the text sent, for this one rerun."""
    st.session_state["zero_v2_typed"] = str(st.session_state[V2_KEY]["text"])


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
    "One plain HTML/JS component, twice: as a v1 component (an iframe that speaks the component "
    "protocol: props in as args, events back as values) and written against Components v2 (no "
    "iframe: data in, state and trigger values back)."
)

v1, v2 = st.columns(2)
with v1:
    st.subheader("v1: an iframe")
    typed = host.render(
        greeting=GREETING, initial_text=INITIAL_TEXT, rerun_count=rerun_count, timestamp=timestamp
    )
    with st.container(key="zero-typed"):
        if typed is None:
            st.markdown("Nothing typed yet: type in the component and press **Send**.")
        else:
            st.markdown(f"You typed: **{escape_markdown(typed)}**")
with v2:
    st.subheader("v2: no iframe")
    result = zero_v2(
        key=V2_KEY,
        data={"greeting": GREETING, "rerun_count": rerun_count, "timestamp": timestamp},
        on_text_change=on_v2_text,
    )
    with st.container(key="zero-v2-typed"):
        v2_typed = st.session_state.get("zero_v2_typed")
        if v2_typed is None:
            st.markdown("Nothing typed yet: type in the component and press **Send**.")
        else:
            sent = result.sent or 0
            st.markdown(
                f"You typed: **{escape_markdown(v2_typed)}** ({sent} message{'s' * (sent != 1)})"
            )

st.button("Rerun", key="zero-rerun", help="Run the script again and send new props")
st.caption(f"Script run {rerun_count} · props sent at {timestamp}")

last_error = st.session_state.get("zero_last_error")
if last_error:
    st.error(f"Component error: {last_error}", icon="⚠️")

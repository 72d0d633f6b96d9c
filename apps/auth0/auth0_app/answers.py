"""How an API answer is shown: a status headline and the JSON body, in a keyed container."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st


def show_answer(title: str, key: str, answer: dict[str, Any] | None) -> None:
    """``key`` names the container (CSS class ``st-key-answer-<key>``) for tests."""
    with st.container(border=True, key=f"answer-{key}"):
        st.markdown(f"**{title}**")
        if answer is None:
            st.caption("No answer yet.")
            return
        status = answer.get("status")
        body = answer.get("body")
        code = body.get("code") if isinstance(body, dict) else None
        headline = f"`{answer.get('path')}` → HTTP {status}" + (f" · `{code}`" if code else "")
        if isinstance(status, int) and 200 <= status < 300:
            st.success(headline, icon=":material/check_circle:")
        else:
            st.error(headline, icon=":material/block:")
        st.code(json.dumps(body, indent=2, sort_keys=True), language="json", wrap_lines=True)

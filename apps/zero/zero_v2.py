"""Component Zero written against Components v2 (``st.components.v2``, Streamlit 1.51+): the
same plain HTML/JS component as the v1 one beside it, with no iframe and no build.

Its JavaScript and CSS are passed inline (read from ``component_v2/``), so it needs no
installed package: an ``asset_dir`` is only for components that ship in one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

FILES = Path(__file__).resolve().parent / "component_v2"

_zero_v2 = st.components.v2.component(
    "zero_v2",
    css=(FILES / "zero.css").read_text(),
    js=(FILES / "zero.js").read_text(),
)


def zero_v2(*, key: str, data: dict[str, Any], on_text_change: Callable[[], None]) -> Any:
    """Mount it: ``data`` in; ``sent`` (state) and ``text`` (trigger) come back."""
    return _zero_v2(
        key=key,
        data=data,
        default={"sent": 0},
        on_text_change=on_text_change,
        on_sent_change=lambda: None,
    )

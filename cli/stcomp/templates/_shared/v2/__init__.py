"""{{ cookiecutter.title }}: a Streamlit component (Components v2: no iframe).

The front end is built by Vite into ``build/`` in this package (its ``asset_dir``, declared in
``pyproject.toml`` under ``[tool.streamlit.component]``); Streamlit finds it because this
package is installed (``pip install -e .`` while developing, the wheel once published). The
component needs Streamlit alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

# "<project name>.<component name>", as declared in pyproject.toml. The glob matches the one
# content-hashed file each build writes, so an open page loads new code after a rebuild.
_component = st.components.v2.component("{{ cookiecutter.name }}.{{ cookiecutter.name }}", js="index-*.js")


def {{ cookiecutter.name }}(
    greeting: str,
    *,
    key: str = "{{ cookiecutter.name }}",
    on_clicks_change: Callable[[], None] | None = None,
    on_submitted_change: Callable[[], None] | None = None,
) -> Any:
    """Show the component with ``greeting``.

    Returns its result: ``clicks`` (a state value, kept across reruns: how often its button was
    pressed) and ``submitted`` (a trigger value, set for one rerun: the text sent from it).
    ``on_clicks_change`` and ``on_submitted_change`` run when those change, before the rerun.
    """
    return _component(
        key=key,
        data={"greeting": greeting},
        default={"clicks": 0},
        on_clicks_change=on_clicks_change or _nothing,
        on_submitted_change=on_submitted_change or _nothing,
    )


def _nothing() -> None:
    """A callback that does nothing: its presence keeps the key in the result."""

"""{{ cookiecutter.title }}: a Streamlit custom component with a plain HTML/JS front end.

Streamlit serves the files in ``frontend/`` (in this package) itself, in dev and release mode alike.

The host side (``declare``, ``ComponentHost``) is ``_host.py`` in this package, so the component
needs Streamlit alone; Streamlit names it ``{{ cookiecutter.name }}._host.{{ cookiecutter.name }}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._host import ComponentHost, declare

FRONTEND = Path(__file__).resolve().parent / "frontend"

_component = declare("{{ cookiecutter.name }}", build_dir=FRONTEND)


def _on_click(data: Any) -> int:
    """The component sends ``{"clicks": n}`` each time its button is pressed."""
    if isinstance(data, dict) and isinstance(data.get("clicks"), int):
        return int(data["clicks"])
    raise ValueError(f"onClick expects an object with an integer 'clicks', got {data!r}")


def {{ cookiecutter.name }}(greeting: str, *, key: str = "{{ cookiecutter.name }}") -> int | None:
    """Show the component with ``greeting``; return the clicks it reported (None before any)."""
    host = ComponentHost(_component, key=key, events={"onClick": _on_click})
    clicks: int | None = host.render(greeting=greeting)
    return clicks

"""{{ cookiecutter.title }}: a Streamlit custom component with a Next.js front end.

Dev mode loads it from the Next.js dev server at $COMPONENT_URL; release mode (STCOMP_RELEASE=1,
as set by ``stcomp up {{ cookiecutter.name }} --release``) from the static export in
``build/`` in this package (``stcomp build {{ cookiecutter.name }}``).

The host side (``declare``, ``ComponentHost``) is ``_host.py`` in this package, so the component
needs Streamlit alone; Streamlit names it ``{{ cookiecutter.name }}._host.{{ cookiecutter.name }}``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ._host import ComponentHost, declare

BUILD_DIR = Path(__file__).resolve().parent / "build"  # in the package: it ships in the wheel
# In its source tree (a front end beside the package) dev mode loads the component from the dev
# server; an installed copy has only its build, which it serves.
IN_SOURCE_TREE = (Path(__file__).resolve().parents[1] / "frontend" / "package.json").is_file()
DEV_URL = (
    os.environ.get("COMPONENT_URL", "http://localhost:{{ cookiecutter.component_port }}")
    if IN_SOURCE_TREE
    else None
)

_component = declare("{{ cookiecutter.name }}", build_dir=BUILD_DIR, dev_url=DEV_URL)


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

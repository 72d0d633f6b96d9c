"""Tables never cut a URL or a name: narrow terminals drop columns, then wrap."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from stcomp.config import load_workspace
from stcomp.status import ServiceStatus
from stcomp.view import stacks_table, status_table

REPO = Path(__file__).resolve().parents[2]
LONG_URL = "http://localhost:45678/component/app"


def render(table: object, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(table)
    return out.getvalue()


def rows() -> list[ServiceStatus]:
    return [
        ServiceStatus("auth0", "component", 1234, 3001, "ready", 12.0, 1.5, 80.0, LONG_URL),
        ServiceStatus("auth0", "streamlit", 1240, 4010, "ready", 11.0, 0.5, 90.0, "http://x:1"),
    ]


@pytest.mark.parametrize("width", [80, 200])
def test_status_keeps_every_url_and_name_whole(width: int) -> None:
    text = render(status_table(rows(), width), width)
    assert LONG_URL in text and "component" in text and "streamlit" in text
    assert "…" not in text
    if width == 200:
        assert "memory MB" in text  # room for everything
    else:
        assert "memory MB" not in text  # dropped first on a narrow terminal


@pytest.mark.parametrize("width", [80, 200])
def test_list_keeps_every_probe_whole(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from stcomp import view

    monkeypatch.setattr(view.console, "width", width)
    text = render(stacks_table(load_workspace(REPO)), width)
    assert "GET /.well-known/openid-configuration" in text
    assert ("…" not in text and "auth0-component" in text) or width < 100


def test_a_url_wider_than_the_terminal_wraps_and_is_never_cut() -> None:
    url = "http://localhost:45678/" + "x" * 90
    row = ServiceStatus("s", "web", 1, 1, "ready", 1.0, 1.0, 1.0, url)
    text = render(status_table([row], 80), 80)
    joined = "".join(ch for ch in text if ch not in "│┃ \n")
    assert url in joined and "…" not in text

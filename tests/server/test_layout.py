"""server/ holds three siblings: api and idp import only their own modules and server.shared."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from server_processes import REPO_ROOT

SERVER = REPO_ROOT / "server"
ALLOWED = {
    "api": {"server.api", "server.shared"},
    "idp": {"server.idp", "server.shared"},
    "shared": {"server.shared"},
}


def server_imports(path: Path) -> set[str]:
    """Every ``server...`` module that ``path`` imports (absolute imports only)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: use absolute imports"
            found.add(node.module or "")
    return {name for name in found if name == "server" or name.startswith("server.")}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_itself_and_shared(package: str) -> None:
    files = sorted((SERVER / package).rglob("*.py"))
    assert files
    for path in files:
        for name in server_imports(path):
            assert any(name == ok or name.startswith(ok + ".") for ok in ALLOWED[package]), (
                f"{path.relative_to(REPO_ROOT)} imports {name}"
            )


def test_server_package_is_a_plain_folder() -> None:
    assert sorted(p.name for p in SERVER.glob("*.py")) == ["__init__.py"]
    assert {p.name for p in SERVER.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "api",
        "idp",
        "shared",
    }


def test_idp_templates_sit_next_to_its_views() -> None:
    from server.idp.views import TEMPLATES_DIR

    assert {p.name for p in TEMPLATES_DIR.glob("*.html")} >= {
        "login.html",
        "logged_out.html",
        "web_message.html",
    }

"""Folder snapshots: what a failed or refused scaffold must leave exactly as it was."""

from __future__ import annotations

from pathlib import Path

EXISTING_PYPROJECT = """\
[project]
name = "someone-elses-project"

[tool.stcomp]
procfile = "Procfile"

[tool.stcomp.stacks.zero]
description = "a stack written by hand"

[tool.stcomp.stacks.zero.services.streamlit]
process = "zero"
port = "streamlit"
probe = "http:/_stcore/health"
"""
EXISTING_PROCFILE = "zero: exec streamlit run apps/zero/app.py\n"


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under root, by relative path."""
    return {
        str(path.relative_to(root)): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


def make_workspace(root: Path) -> Path:
    """A project with a [tool.stcomp] table in its pyproject.toml, a Procfile and apps/."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(EXISTING_PYPROJECT)
    (root / "Procfile").write_text(EXISTING_PROCFILE)
    (root / "apps" / "zero").mkdir(parents=True)
    (root / "apps" / "zero" / "app.py").write_text("print('zero')\n")
    return root

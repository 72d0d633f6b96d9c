"""Templates: the built-in ones shipped in ``stcomp/templates``, or a user's own folder."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
BUILTIN = ("html", "next", "vite")
WORKSPACE_TEMPLATE = TEMPLATES / "workspace"


def resolve_template(template: str) -> tuple[Path, str]:
    """A built-in template's folder, or a user's own cookiecutter template folder."""
    if template in BUILTIN:
        return TEMPLATES / template, template
    folder = Path(template).expanduser()
    if not (folder / "cookiecutter.json").is_file():
        raise UsageError(
            f"unknown template '{template}'",
            hint=f"use {', '.join(BUILTIN)}, or a folder with a cookiecutter.json",
        )
    return folder.resolve(), str(folder.resolve())

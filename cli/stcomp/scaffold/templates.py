"""Templates, discovered from their folders: every folder in ``stcomp/templates`` with a
``cookiecutter.json`` is one, described by its own metadata, so adding a template is adding a
folder. ``--template`` also takes a folder of one's own made the same way.

A template's facts live in its ``cookiecutter.json`` under the key ``_stcomp`` (cookiecutter
passes keys starting with ``_`` through, unrendered and without prompting)::

    "_stcomp": {
        "description": "React + Vite + TypeScript",  # shown by `stcomp scaffold --help`
        "needs_node": true,                          # refused up front without Node.js and npm
        "include": {"frontend/src/streamlit.ts": "streamlit.ts"}
    }

``include`` maps a path inside the template's project folder to a file of the shared layer,
which scaffold puts there before rendering. Two folders are not component templates, by their
``role``: ``"workspace"`` (the files of a new workspace) and ``"shared"`` (the shared layer;
its ``verbatim`` files are copied as they are, never rendered).

Only the standard library here: ``stcomp --help`` lists the templates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import UsageError

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
METADATA = "_stcomp"
COMPONENT, WORKSPACE, SHARED = "component", "workspace", "shared"
ROLES = (COMPONENT, WORKSPACE, SHARED)
OWN_FOLDER = "a folder with a cookiecutter.json"


DEFAULT_TEMPLATE = "v2-react"  # Components v2; html, vite and next are the v1 (iframe) ones


@dataclass(frozen=True)
class Template:
    path: Path
    builtin: bool = True
    role: str = COMPONENT
    description: str = ""
    needs_node: bool = False
    include: dict[str, str] = field(default_factory=dict)
    """Shared-layer files to add: path in the project folder -> path in the shared layer."""
    verbatim: tuple[str, ...] = ()
    """(Shared layer only) its files that are copied as they are."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        """How results name it: a built-in template by name, one's own by its folder."""
        return self.name if self.builtin else str(self.path)


def load(folder: Path, *, builtin: bool = True) -> Template:
    """The template in ``folder``, from its cookiecutter.json."""
    try:
        data = json.loads((folder / "cookiecutter.json").read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"template {folder}: cannot read its cookiecutter.json: {exc}") from None
    meta = data.get(METADATA, {}) if isinstance(data, dict) else None
    if not isinstance(meta, dict):
        raise UsageError(f"template {folder}: '{METADATA}' in cookiecutter.json must be an object")
    return Template(folder, builtin, **_checked(folder, meta))


def discover(root: Path | None = None, role: str = COMPONENT) -> list[Template]:
    """The templates in ``root`` (default: the built-in ones) that have ``role``, by name."""
    root = root or TEMPLATES
    folders = sorted(p for p in root.iterdir() if (p / "cookiecutter.json").is_file())
    return [t for t in map(load, folders) if t.role == role]


def only(role: str, root: Path | None = None) -> Template:
    """The one template with ``role`` (the workspace template, the shared layer)."""
    found = discover(root, role)
    if len(found) != 1:
        raise UsageError(f"{root or TEMPLATES}: expected one template with role '{role}'")
    return found[0]


def resolve(template: str, root: Path | None = None) -> Template:
    """A built-in template by name, or a user's own template folder."""
    builtin = {t.name: t for t in discover(root)}
    if template in builtin:
        return builtin[template]
    folder = Path(template).expanduser()
    if not (folder / "cookiecutter.json").is_file():
        raise UsageError(
            f"unknown template '{template}'", hint=f"use {', '.join(builtin)}, or {OWN_FOLDER}"
        )
    own = load(folder.resolve(), builtin=False)
    if own.role != COMPONENT:
        raise UsageError(f"template {own.path} is not a component template (role '{own.role}')")
    return own


def template_help(root: Path | None = None) -> str:
    """The ``--template`` help: the built-in templates with their descriptions."""
    try:
        found = discover(root)
    except (OSError, UsageError):
        return f"A built-in template's name, or {OWN_FOLDER}."
    listed = ", ".join(f"{t.name} ({t.description})" if t.description else t.name for t in found)
    return f"{listed}, or {OWN_FOLDER}."


def _checked(folder: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """``meta`` as Template fields, after checking each one's type."""
    checks = {
        "role": lambda v: v in ROLES,
        "description": lambda v: isinstance(v, str),
        "needs_node": lambda v: isinstance(v, bool),
        "include": lambda v: isinstance(v, dict) and all(map(_relative, [*v, *v.values()])),
        "verbatim": lambda v: isinstance(v, list) and all(map(_relative, v)),
    }
    for key, value in meta.items():
        if key not in checks:
            raise UsageError(f"template {folder}: unknown key '{METADATA}.{key}'")
        if not checks[key](value):
            raise UsageError(f"template {folder}: '{METADATA}.{key}' has a wrong value: {value!r}")
    return {**meta, "verbatim": tuple(meta.get("verbatim", ()))}


def _relative(path: object) -> bool:
    """A relative POSIX path that stays inside its folder."""
    if not isinstance(path, str) or not path:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in path

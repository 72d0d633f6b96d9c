"""Where a new component goes: the workspace (found, or a new one) and the component's folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..config import DEFAULT_PORTS, find_config, parse_workspace
from ..errors import UsageError

NEW_CONFIG = "stcomp.toml"
SAFE_RELATIVE = re.compile(r"[A-Za-z0-9_./-]+")


@dataclass(frozen=True)
class Layout:
    """Where things go: the workspace (existing or new) and the component folder."""

    root: Path
    config: Path
    procfile: Path
    component: Path
    new_workspace: bool
    ports: dict[str, int]

    @property
    def component_dir(self) -> str:
        """The component's folder relative to the workspace root, e.g. ``apps/my_widget``."""
        return self.component.relative_to(self.root).as_posix()

    def stack_table(self, name: str) -> str:
        """The stack's TOML table: ``stacks.NAME`` in a stcomp.toml, else under tool.stcomp."""
        prefix = "" if self.config.name == NEW_CONFIG else "tool.stcomp."
        return f"{prefix}stacks.{name}"


def plan_layout(name: str, dest: Path | None) -> Layout:
    """The workspace at or above ``dest`` (default: $STCOMP_WORKSPACE or the working folder),
    or a new one there; the component goes into ``apps/NAME`` if the workspace has ``apps/``."""
    start = Path(dest or os.environ.get("STCOMP_WORKSPACE") or Path.cwd()).resolve()
    if start.exists() and not start.is_dir():
        raise UsageError(f"--dir {start} is a file", hint="give a folder")
    config = find_config(existing_parent(start))
    if config is None:
        procfile = start / "Procfile"
        return Layout(start, start / NEW_CONFIG, procfile, start / name, True, dict(DEFAULT_PORTS))
    return _in_workspace(name, start, config)


def _in_workspace(name: str, start: Path, config: Path) -> Layout:
    workspace = parse_workspace(config)
    root = workspace.root
    apps = root / "apps"
    parent = (apps if apps.is_dir() else root) if start == root else start
    layout = Layout(root, config, workspace.procfile_path, parent / name, False, workspace.ports)
    if not SAFE_RELATIVE.fullmatch(layout.component_dir):
        raise UsageError(
            f"cannot scaffold into '{layout.component_dir}'",
            hint="use a folder whose path has only letters, digits, '_', '.', '/' and '-'",
        )
    if not workspace.procfile_path.resolve().is_relative_to(root):
        raise UsageError(f"{config}: the Procfile must be inside the workspace {root}")
    return layout


def check_target(target: Path, force: bool) -> None:
    """The component's folder must not exist (or be replaced, with ``--force``)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{target} exists and is not a folder", hint="pick another name")
    if target.exists() and not force:
        raise UsageError(
            f"{target} already exists; nothing was written",
            hint="pick another name, or use --force to replace it",
        )


def existing_parent(path: Path) -> Path:
    """``path`` or its nearest ancestor that exists."""
    while not path.exists():
        path = path.parent
    return path

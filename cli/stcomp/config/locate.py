"""Where a workspace's definition is: the nearest stcomp.toml, or pyproject.toml with a
[tool.stcomp] table, at or above a folder. Apart from the model, so that ``stcomp down`` can
find its run directory from the cached definition (cache.run_dir) without importing it."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_FILES = ("stcomp.toml", "pyproject.toml")
WORKSPACE_ENV = "STCOMP_WORKSPACE"
"""Environment variable naming the folder to look for the workspace in (default: cwd)."""


def start_folder(start: Path | None = None) -> Path:
    """Where to look from: ``start``, else $STCOMP_WORKSPACE, else the working directory."""
    return Path(start or os.environ.get(WORKSPACE_ENV) or Path.cwd()).resolve()


def find_config(start: Path) -> Path | None:
    """The nearest stcomp.toml, or pyproject.toml with a [tool.stcomp] table, at or above start."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "stcomp.toml" or b"[tool.stcomp" in candidate.read_bytes():
                return candidate
    return None

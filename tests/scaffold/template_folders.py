"""Template folders made on the fly, and a templates root of one's own for scaffold to use."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from stcomp.scaffold import templates

PROJECT = "{{cookiecutter.name}}"


def write_template(
    root: Path,
    name: str,
    meta: dict[str, Any] | None = None,
    files: dict[str, str] | None = None,
) -> Path:
    """``root/name`` with a cookiecutter.json (``meta`` under ``_stcomp``) and ``files``, by
    path inside the project folder."""
    folder = root / name
    (folder / PROJECT).mkdir(parents=True)
    config: dict[str, Any] = {"name": "x"}
    if meta is not None:
        config["_stcomp"] = meta
    (folder / "cookiecutter.json").write_text(json.dumps(config))
    for path, text in (files or {}).items():
        (folder / PROJECT / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / PROJECT / path).write_text(text)
    return folder


def own_templates_root(monkeypatch: pytest.MonkeyPatch, root: Path) -> Path:
    """A copy of the built-in templates in ``root``, which scaffold then uses instead."""
    shutil.copytree(templates.TEMPLATES, root)
    monkeypatch.setattr(templates, "TEMPLATES", root)
    return root

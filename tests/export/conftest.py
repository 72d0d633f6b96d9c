"""Exports of the reference stacks into temporary folders, and the offline validators."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from stcomp.config import Workspace, load_workspace
from stcomp.export import ExportResult, export

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REFERENCE_STACKS = ("zero", "hero", "auth0")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """This repository's workspace, with a run directory and an (absent) .env of the test's
    own, so that a developer's .env (a real tenant, other ports) changes nothing here."""
    ws = load_workspace(REPO, run_dir=tmp_path / "run")
    settings = tmp_path / "settings"
    settings.mkdir()
    shutil.copy(REPO / ".env.example", settings / ".env.example")
    return replace(ws, env_file=settings / ".env")


def export_stack(
    workspace: Workspace, stack: str, fmt: str, out: Path, *, force: bool = False
) -> ExportResult:
    """Export with an empty environment: the definition's ports, every service."""
    return export(workspace, stack, fmt, out, force=force, environ={})


def tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a validator installed with the dev dependency group (check-jsonschema, hadolint)."""
    return subprocess.run(
        [str(BIN / name), *args], capture_output=True, text=True, timeout=120, check=False
    )

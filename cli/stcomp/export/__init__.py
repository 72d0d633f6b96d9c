"""``stcomp export``: hand a stack, in release mode, to the engine that runs it in production.

- release.py: the stack as every format needs it (from a Plan), and the refusals;
- compose.py + dockerfile.py: ``compose`` (compose.yaml, Dockerfiles, ignore rules,
  .env.example, README);
- procmanagers.py: ``systemd`` and ``supervisord`` through honcho's exporters;
- writer.py: all files or none, existing ones replaced only with ``force``.

Formats are rendered entirely in memory before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Workspace
from ..errors import UsageError
from .writer import Generated, commit

if TYPE_CHECKING:
    from .release import ReleaseStack

Renderer = Callable[["ReleaseStack", Path], list[Generated]]


def _compose(release: ReleaseStack, out: Path) -> list[Generated]:
    from .compose import render

    return render(release, out)


def _systemd(release: ReleaseStack, out: Path) -> list[Generated]:
    from .procmanagers import render_systemd

    return render_systemd(release, out)


def _supervisord(release: ReleaseStack, out: Path) -> list[Generated]:
    from .procmanagers import render_supervisord

    return render_supervisord(release, out)


FORMATS: dict[str, Renderer] = {
    "compose": _compose,
    "systemd": _systemd,
    "supervisord": _supervisord,
}
NEXT_STEPS: dict[str, str] = {
    "compose": "cd {out} && cp .env.example .env && docker compose up --build --wait",
    "systemd": "see {out}/README.md: copy the units to /etc/systemd/system, then"
    " systemctl start {stack}.target",
    "supervisord": "supervisord -c {out}/supervisord.conf",
}


@dataclass(frozen=True)
class ExportResult:
    stack: str
    format: str
    out: Path
    files: list[Path]
    next_step: str


def default_out(workspace: Workspace, stack: str, fmt: str) -> Path:
    return workspace.root / "deploy" / stack / fmt


def export(
    workspace: Workspace,
    stack: str,
    fmt: str,
    out: Path | None = None,
    *,
    force: bool = False,
    environ: Mapping[str, str] | None = None,
) -> ExportResult:
    """Render ``stack`` in release mode as ``fmt`` into ``out`` (default:
    ``deploy/STACK/FORMAT`` in the workspace). A UsageError, with nothing written, for an
    unknown format or stack, a stack that cannot run in production as defined, or existing
    files without ``force``."""
    from .release import describe

    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}")
    release = describe(workspace, stack, environ)
    target = (out if out is not None else default_out(workspace, stack, fmt)).absolute()
    files = FORMATS[fmt](release, target)
    written = commit(files, target, force=force)
    step = NEXT_STEPS[fmt].format(out=target, stack=stack)
    return ExportResult(stack, fmt, target, written, step)

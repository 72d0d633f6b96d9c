"""Putting a staged component into place, all or nothing.

Everything is rendered and checked in a staging folder next to the target (same file system,
so the final move is a rename). The commit then moves the component into place and writes the
workspace files; every step first records how to undo itself, and any failure undoes the steps
taken so far in reverse order, so nothing is ever half-written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import UsageError
from ..files import write_atomic

Undo = list[Callable[[], None]]


@contextlib.contextmanager
def staging(name: str, parent: Path | None) -> Iterator[Path]:
    """A private folder for rendering: in ``parent`` (the target's nearest existing folder),
    or in the system's temp folder for a dry run (``parent=None``); removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f".stcomp-scaffold-{name}-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def commit(component: Path, target: Path, files: dict[Path, str], staging: Path) -> Path | None:
    """Move ``component`` to ``target`` and write ``files``; on any failure undo it all. An
    OSError becomes a UsageError that says nothing was changed. A folder already at ``target``
    (--force) is kept beside it, renamed; its new path is returned."""
    undo: Undo = []
    kept = _aside_name(target) if target.exists() else None
    try:
        backups = _back_up(files, staging)
        _make_parents(target.parent, undo)
        if kept is not None:
            _move_aside(target, kept, undo)
        _place(component, target, undo)
        for path, text in files.items():
            _write(path, text, backups[path], undo)
    except BaseException as exc:
        _undo(undo)
        if isinstance(exc, OSError):
            raise UsageError(
                f"could not write {exc.filename or target}: {exc.strerror}; nothing was changed",
                hint="pick a folder you can write to with --dir",
            ) from None
        raise
    return kept


def _aside_name(target: Path) -> Path:
    """Where --force keeps the folder it replaces: ``NAME.replaced-YYYYmmdd-HHMMSS``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.name}.replaced-{stamp}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.name}.replaced-{stamp}-{number}")
    return candidate


def _back_up(files: dict[Path, str], staging: Path) -> dict[Path, Path | None]:
    """Copies of the files' current versions in ``staging`` (None for a new file), so that
    undoing a write is a rename, which needs no free space."""
    backups: dict[Path, Path | None] = {}
    for index, path in enumerate(files):
        backups[path] = staging / f"file-{index}" if path.exists() else None
        if backups[path] is not None:
            shutil.copy2(path, staging / f"file-{index}")
    return backups


def _make_parents(folder: Path, undo: Undo) -> None:
    for parent in reversed([folder, *folder.parents]):
        if not parent.exists():
            parent.mkdir()
            undo.append(parent.rmdir)


def _move_aside(target: Path, kept: Path, undo: Undo) -> None:
    """With --force: the existing target is renamed, never deleted (the user's edits,
    node_modules and builds stay recoverable)."""
    os.replace(target, kept)
    undo.append(lambda: os.replace(kept, target))


def _place(component: Path, target: Path, undo: Undo) -> None:
    undo.append(lambda: shutil.rmtree(target, ignore_errors=True))
    shutil.move(component, target)


def _write(path: Path, text: str, backup: Path | None, undo: Undo) -> None:
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    if backup is None:
        undo.append(lambda: path.unlink(missing_ok=True))
    else:
        undo.append(lambda: os.replace(backup, path))
    write_atomic(path, text, mode)


def _undo(undo: Undo) -> None:
    """Run the undo steps, last first; one that fails does not stop the others."""
    for step in reversed(undo):
        with contextlib.suppress(OSError):
            step()

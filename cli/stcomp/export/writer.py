"""Writing an export as one transaction: all of it, or nothing.

Every file is rendered before anything touches the disk. Then the files are written into a
staging folder beside the target; a new target is that folder renamed into place (one rename),
an existing one gets each file moved in, the files it replaces kept aside until the last one
is in and put back if any step fails. Replacing existing files needs ``force``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError


@dataclass(frozen=True)
class Generated:
    """One file of an export: its path inside the target folder, its text, its mode."""

    path: str
    text: str
    mode: int = 0o644


def conflicts(files: Iterable[Generated], out: Path) -> list[str]:
    """The files of ``files`` that already exist in ``out``."""
    return [f.path for f in files if (out / f.path).exists() or (out / f.path).is_symlink()]


def commit(files: list[Generated], out: Path, *, force: bool) -> list[Path]:
    """Write ``files`` into ``out`` (created if missing); return their paths.

    A UsageError (nothing written) when ``out`` is not a folder, or when files would be
    replaced without ``force``. Any failure while moving files into place restores ``out``.
    """
    out = out.absolute()
    names = [f.path for f in files]
    if len(set(names)) != len(names):
        raise ValueError(f"an export names a file twice: {sorted(names)}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder", hint="choose another --out")
    taken = conflicts(files, out) if out.exists() else []
    if taken and not force:
        shown = ", ".join(taken[:3]) + (f" and {len(taken) - 3} more" if len(taken) > 3 else "")
        raise UsageError(
            f"{out} already has {shown}; nothing was written",
            hint="pass --force to replace them",
        )
    created = _make_parents(out.parent)
    try:
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.staging-"))
    except BaseException:
        _remove_dirs(created)
        raise
    try:
        for f in files:
            target = staging / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.text)
            target.chmod(f.mode)
        if not out.exists():
            staging.chmod(0o755)
            os.rename(staging, out)
        else:
            _move_in(files, staging, out)
    except BaseException:
        _remove_dirs(created)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / f.path for f in files]


def _move_in(files: list[Generated], staging: Path, out: Path) -> None:
    """Move each staged file over its target; on any failure put every replaced file back."""
    backup = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.replaced-"))
    moved: list[tuple[Path, Path | None]] = []
    made: list[Path] = []
    try:
        for f in files:
            target, saved = out / f.path, backup / f.path
            made += _make_parents(target.parent)
            if target.exists() or target.is_symlink():
                saved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, saved)
                moved.append((target, saved))
            else:
                moved.append((target, None))
            os.replace(staging / f.path, target)
    except BaseException:
        for target, saved in reversed(moved):
            with contextlib.suppress(OSError):
                if saved is not None:
                    os.replace(saved, target)
                else:
                    target.unlink(missing_ok=True)
        _remove_dirs(made)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return the ones created, deepest last."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _remove_dirs(created: list[Path]) -> None:
    for path in reversed(created):
        with contextlib.suppress(OSError):
            path.rmdir()

"""The checked workspace of each definition file, kept between commands.

Reading a definition means importing tomllib and msgspec, decoding and validating: about 15 ms
on the way from the shell to the first service's start (``up``) or to the supervisor's stop
signal (``down``). When nothing it was made from has changed, the last result is taken instead:

- the definition file and its Procfile (path, size, modification time, inode);
- stcomp's own code that reads them (the same, for each of its files), and Python's version.

An entry is a pickle in the user's cache folder ($XDG_CACHE_HOME/stcomp, else ~/.cache/stcomp;
$STCOMP_CACHE_DIR names another): plain data (what it was made from, and the run directory the
definition names), with the model (model.py) pickled inside it. ``stcomp down`` reads only the
plain part (``run_dir``), so that neither this module nor that reading imports the model on
its way to the stop request. An entry is read only when this user owns it and nobody else may
write it. A missing, stale, foreign or unreadable entry is ignored and the definition is read
again; a cache that cannot be written is no error.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from pathlib import Path

TYPE_CHECKING = False  # typing (about 2.5 ms) stays off the way to down's stop request
if TYPE_CHECKING:
    from typing import Any

    from .model import Workspace

FORMAT = 2
"""Bumped when an entry's layout changes."""

_CODE = (
    "model.py",
    "parse.py",
    "schema.py",
    "locate.py",
    "../probes.py",
    "../rundir.py",
    "../procfile.py",
)
"""stcomp's files whose change changes what a definition reads as."""

Signature = tuple[int, int, int] | None


CACHE_ENV = "STCOMP_CACHE_DIR"
"""Environment variable naming the folder for the entries instead (the tests' own)."""


def folder() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stcomp" / "workspaces"


def entry_path(config: Path) -> Path:
    # A name per definition file; entries whose names collide overwrite each other, which is
    # harmless: each entry names the file it is for, and that is checked.
    return folder() / f"{zlib.crc32(str(config).encode()):08x}.pickle"


def signature(path: Path) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def key(config: Path) -> tuple[Any, ...]:
    """What an entry for ``config`` must have been made from (taken before reading it)."""
    here = Path(__file__).parent
    code = tuple(signature(here / name) for name in _CODE)
    return (FORMAT, sys.version_info[:2], str(config), signature(config), code)


def _entry(config: Path) -> dict[str, Any] | None:
    """The entry for ``config``, if it is this user's own and was made from what is there now
    (the definition file and stcomp's code; the Procfile is the caller's to check)."""
    path = entry_path(config)
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None  # someone else could have written it: never unpickled
            entry = pickle.load(fh)
    except Exception:  # missing, truncated, or written by another version: read the file
        return None
    if not isinstance(entry, dict) or entry.get("key") != key(config):
        return None
    return entry


def run_dir(config: Path) -> Path | None:
    """The run directory the definition at ``config`` names, if its entry is still good."""
    entry = _entry(config)
    found = entry.get("run_dir") if entry else None
    return Path(found) if isinstance(found, str) else None


def load(config: Path) -> Workspace | None:
    """The cached workspace of ``config`` if it is still what reading the file would give."""
    from .model import Workspace

    entry = _entry(config)
    if entry is None or not isinstance(entry.get("workspace"), bytes):
        return None
    try:
        workspace = pickle.loads(entry["workspace"])
    except Exception:
        return None
    if not isinstance(workspace, Workspace):
        return None
    if signature(workspace.procfile_path) != entry.get("procfile"):
        return None
    return workspace


def store(config: Path, made_from: tuple[Any, ...], workspace: Workspace) -> None:
    """Keep ``workspace``, read from ``config`` as it was at ``key(config)`` (``made_from``),
    for the next command; best effort."""
    path = entry_path(config)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(OSError, pickle.PicklingError):
        entry = {
            "key": made_from,
            "procfile": signature(workspace.procfile_path),
            "run_dir": str(workspace.run_dir.root),
            "workspace": pickle.dumps(workspace, protocol=pickle.HIGHEST_PROTOCOL),
        }
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)

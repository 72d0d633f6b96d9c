"""Exactly one ``stcomp up`` per stack and per port: locks that the OS releases when their
holder dies (``flock``), so a crashed or SIGKILLed supervisor never leaves a stale lock.

The stack's lock lives in its run directory; port locks in a per-user folder of the machine's
temp directory, so that two workspaces (or two run directories) cannot both start a service on
one port. The CLI takes the locks before its pre-flight checks; a detached supervisor inherits
them through fork and holds them while it runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def port_lock_dir() -> Path:
    # tempfile.gettempdir() on POSIX, in effect, without importing tempfile (and shutil) on
    # the way to a service's start.
    tmp = os.environ.get("TMPDIR", "")
    return Path(tmp if os.path.isdir(tmp) else "/tmp") / f"stcomp-{os.getuid()}" / "ports"


class Locks:
    """Held locks; released by ``release()`` or when this process and its forks are gone."""

    def __init__(self) -> None:
        self.fds: list[int] = []

    def take(self, path: Path, owner: str, taken: str, hint: str) -> None:
        """Lock ``path`` for ``owner``; else UsageError: ``taken`` (with {holder}) and hint."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 512, 0).decode(errors="replace").strip() or "another stcomp"
            os.close(fd)
            raise UsageError(taken.format(holder=holder), hint=hint) from None
        self.fds.append(fd)
        _write_owner(fd, owner)

    def claim(self, pid: int) -> None:
        """Name ``pid`` as the holder (a detached supervisor, after the fork)."""
        for fd in self.fds:
            with contextlib.suppress(OSError):
                content = os.pread(fd, 512, 0).decode(errors="replace")
                _write_owner(fd, re.sub(r"^pid \d+", f"pid {pid}", content))

    def release(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds.clear()


def _write_owner(fd: int, owner: str) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, owner.encode(), 0)


def lock_run(stack_lock: Path, stack: str, ports: Iterable[int], workspace: Path) -> Locks:
    """Take the stack's lock and one lock per port, or raise UsageError naming who holds it."""
    owner = f"pid {os.getpid()} (stcomp up {stack} in {workspace})"
    locks = Locks()
    try:
        locks.take(
            stack_lock,
            owner,
            f"stack '{stack}' is already running or starting ({{holder}})",
            hint=f"'stcomp status' shows it; 'stcomp down {stack}' stops it",
        )
        for port in sorted(set(ports)):
            locks.take(
                port_lock_dir() / f"{port}.lock",
                owner,
                f"port {port} is held by another stcomp stack ({{holder}})",
                hint="stop that stack, or pick another port with --port NAME=NUMBER",
            )
    except BaseException:
        locks.release()
        raise
    return locks

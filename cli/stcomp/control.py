"""The supervisor's control channel: a FIFO in the stack's run directory (``RunDir.control``),
through which ``stcomp down`` asks the running supervisor to stop.

Why not only a signal: sending SIGTERM to the pid in the state file is safe only once that pid
is known to be the supervisor (it could have been reused), which takes psutil (about 10 ms of
imports) and a look at the process. A FIFO needs no such check: only the live supervisor
holds it open for reading, so opening it for writing fails (ENXIO) when nobody listens, and
nobody but the user who ran it may open it (mode 0600). So ``down`` asks first, before it
reads the definition or imports anything else, and the services' own exit overlaps with the
rest of its work. Where the FIFO is missing or refused (a supervisor killed with SIGKILL, or
one of an older stcomp), ``down`` falls back to the signal (teardown.py).

A stop asked for through the FIFO leaves the sweep of the run's stray processes and the check
of its ports to ``down`` (Supervisor.sweeps): ``down`` reports what it found there, which it
could not do if the supervisor had already swept it.

Only the standard library here, and nothing that imports dataclasses: this module is on the
way from the shell to the stop request.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from .rundir import RunDir

STOP = b"stop\n"


def _plain(name: str) -> bool:
    """A name that can be part of a path as it is (no separator, not ``.`` or ``..``). The
    definition's rule for stack names is stricter; an unknown name just finds no FIFO."""
    return bool(name) and name[0].isalnum() and all(c.isalnum() or c in "_.-" for c in name)


def ask_to_stop(run_dir: RunDir, stack: str) -> bool:
    """Ask the running supervisor of ``stack`` to stop; True when one was listening."""
    if not _plain(stack):
        return False
    try:
        fd = os.open(run_dir.control(stack), os.O_WRONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return False  # no FIFO, or nobody reads it (ENXIO): no live supervisor listens
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return False  # something else has that name: never written to
        os.write(fd, STOP)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


@contextlib.contextmanager
def listening(path: Path, on_stop: Callable[[], None]) -> Iterator[bool]:
    """While the block runs, call ``on_stop`` (on a thread of its own) when a stop is asked
    for through the FIFO at ``path``. Yields False where no FIFO could be made (the run then
    stops by signal only)."""
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # a dead supervisor's: nobody reads it
        os.mkfifo(path, 0o600)
        reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        yield False
        return
    # A writer of our own, so that the FIFO never reads as closed (end of file) between two
    # askers, which would wake the poll below at once, again and again.
    keep_open = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    wake_read, wake_write = os.pipe()
    thread = threading.Thread(
        target=_listen, args=(reader, wake_read, on_stop), name="stcomp-control", daemon=True
    )
    thread.start()
    try:
        yield True
    finally:
        os.write(wake_write, b".")
        thread.join(1.0)
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == os.fstat(reader).st_ino:  # still ours
                os.unlink(path)
        for fd in (reader, keep_open, wake_read, wake_write):
            os.close(fd)


def _listen(reader: int, wake: int, on_stop: Callable[[], None]) -> None:
    poller = select.poll()
    poller.register(reader, select.POLLIN)
    poller.register(wake, select.POLLIN)
    while True:
        for fd, _ in poller.poll():
            if fd == wake:
                return
            try:
                data = os.read(reader, 512)
            except OSError as exc:
                if exc.errno == errno.EAGAIN:
                    continue
                return
            if STOP.strip() in data:
                on_stop()

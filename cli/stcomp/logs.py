"""Service logs: the last lines of a log file, and following several files at once."""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .config import Workspace

COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red", "bright_cyan")


def tail(path: Path, n: int) -> list[str]:
    """The last ``n`` lines of a file ([] if it does not exist)."""
    try:
        with open(path, "rb") as fh:
            return [line.decode(errors="replace").rstrip("\r\n") for line in deque(fh, maxlen=n)]
    except FileNotFoundError:
        return []


class Follower:
    """Reads the complete new lines of several log files, as they are written.

    Starts at each file's end (``from_start=False``) or beginning. A file that is truncated
    (a service restarted) is read again from its start.
    """

    def __init__(self, paths: dict[str, Path], *, from_start: bool = True) -> None:
        self.paths = paths
        self.offsets: dict[str, int] = {}
        self.partial: dict[str, bytes] = {name: b"" for name in paths}
        for name, path in paths.items():
            self.offsets[name] = 0 if from_start else _size(path)

    def poll(self) -> Iterator[tuple[str, str]]:
        for name, path in self.paths.items():
            size = _size(path)
            if size < self.offsets[name]:
                self.offsets[name], self.partial[name] = 0, b""
            if size == self.offsets[name]:
                continue
            with open(path, "rb") as fh:
                fh.seek(self.offsets[name])
                chunk = fh.read(size - self.offsets[name])
            self.offsets[name] += len(chunk)
            data = self.partial[name] + chunk
            *lines, self.partial[name] = data.split(b"\n")
            for line in lines:
                yield name, line.decode(errors="replace").rstrip("\r")


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def colour_for(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def follow(
    paths: dict[str, Path],
    emit: Callable[[str, str], None],
    stop: threading.Event,
    interval: float = 0.1,
) -> None:
    """Print new lines of ``paths`` as they are written, until ``stop`` is set."""
    follower = Follower(paths, from_start=False)
    while not stop.is_set():
        for name, text in follower.poll():
            emit(name, text)
        stop.wait(interval)


def select(
    workspace: Workspace, stack: str | None, service: str | None
) -> tuple[str, dict[str, Path]]:
    """The stack and the log files to show: every service of ``stack`` (default: the one
    recorded stack), or only ``service``."""
    if stack is None:
        recorded = workspace.run_dir.recorded_stacks()
        if len(recorded) != 1:
            raise UsageError(
                "name a stack: " + ("none is running" if not recorded else "several are running"),
                hint=f"stacks: {', '.join(sorted(workspace.stacks))}",
            )
        stack = recorded[0]
    names = list(workspace.stack(stack).services)
    if service is not None:
        if service not in names:
            raise UsageError(
                f"stack '{stack}' has no service '{service}'", hint=f"services: {', '.join(names)}"
            )
        names = [service]
    return stack, {n: workspace.run_dir.log(stack, n) for n in names}

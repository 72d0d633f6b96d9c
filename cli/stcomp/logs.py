"""Service logs: the last lines of a log file, and following several files at once."""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .errors import UsageError

if TYPE_CHECKING:
    from .config import Workspace

COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red", "bright_cyan")


STAMP = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) ")
MAX_SHOWN = 4096
"""A longer line is shown cut, with how much was left out."""
TAIL_READ_LIMIT = 4 * 2**20
"""``tail`` reads at most this much from a file's end, whatever its lines' length."""
CHUNK = 256 * 2**10
"""A follower reads at most this much of one file per poll."""
BACKLOG_LIMIT = 4 * 2**20
"""A follower further behind than this skips ahead to the file's end (and says so)."""


@dataclass(frozen=True)
class Line:
    """One log line: when the relay wrote it (None for a line without a stamp), and its text."""

    time: str | None
    text: str


def parse(raw: bytes) -> Line:
    raw = raw.rstrip(b"\r")
    found = STAMP.match(raw)
    when = found.group(1).decode() if found else None
    body = raw[found.end() :] if found else raw
    if len(body) > MAX_SHOWN:
        body = body[:MAX_SHOWN] + f" … ({len(body) - MAX_SHOWN} more bytes)".encode()
    return Line(when, body.decode(errors="replace"))


def tail(path: Path, n: int) -> list[Line]:
    """The last ``n`` lines of a file ([] if it does not exist), read from its end: the time
    and memory it takes are bounded by TAIL_READ_LIMIT, however large the file or its lines."""
    if n <= 0:
        return []
    try:
        with open(path, "rb") as fh:
            end = fh.seek(0, os.SEEK_END)
            data = b""
            position = end
            while position > 0 and data.count(b"\n") <= n and end - position < TAIL_READ_LIMIT:
                step = min(CHUNK, position, TAIL_READ_LIMIT - (end - position))
                position -= step
                fh.seek(position)
                data = fh.read(step) + data
    except FileNotFoundError:
        return []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if position > 0 and len(lines) > 1:
        lines.pop(0)  # began mid-line
    elif position > 0 and lines:
        lines[0] = b"... " + lines[0]  # one line longer than we read: its end
    return [parse(line) for line in lines[-n:]]


def tail_text(path: Path, n: int) -> list[str]:
    """The last ``n`` lines' text, for error messages."""
    return [line.text for line in tail(path, n)]


class Follower:
    """Reads the complete new lines of several log files, as they are written.

    Starts at each file's end (``from_start=False``) or beginning. A file that is truncated or
    replaced (rotated) is read again from its start. Each poll reads at most CHUNK bytes per
    file, and a reader that fell more than BACKLOG_LIMIT behind skips ahead, so a service that
    floods its output never stalls the caller.
    """

    def __init__(self, paths: dict[str, Path], *, from_start: bool = True) -> None:
        self.paths = paths
        self.offsets: dict[str, int] = {}
        self.files: dict[str, tuple[int, int] | None] = {}
        self.partial: dict[str, bytes] = {name: b"" for name in paths}
        for name, path in paths.items():
            self.offsets[name] = 0 if from_start else _size(path)
            self.files[name] = _identity(path)

    def poll(self) -> Iterator[tuple[str, Line]]:
        for name, path in self.paths.items():
            try:
                fh = open(path, "rb")  # noqa: SIM115 (closed below, after the identity check)
            except FileNotFoundError:
                continue  # not written yet, or being rotated this instant
            with fh:
                found = os.fstat(fh.fileno())
                identity, size = (found.st_dev, found.st_ino), found.st_size
                yield from self._read(name, fh, identity, size)

    def _read(
        self, name: str, fh: BinaryIO, identity: tuple[int, int], size: int
    ) -> Iterator[tuple[str, Line]]:
        """New complete lines of one open file (a replaced or truncated file from its start)."""
        if identity != self.files[name] or size < self.offsets[name]:
            self.files[name], self.offsets[name], self.partial[name] = identity, 0, b""
        behind = size - self.offsets[name]
        if behind <= 0:
            return
        if behind > BACKLOG_LIMIT:
            skipped = behind - CHUNK
            self.offsets[name] += skipped
            self.partial[name] = b""
            yield name, Line(None, f"[stcomp] skipped {skipped / 2**20:.1f} MB of output")
        fh.seek(self.offsets[name])
        chunk = fh.read(min(CHUNK, size - self.offsets[name]))
        self.offsets[name] += len(chunk)
        data = self.partial[name] + chunk
        *lines, rest = data.split(b"\n")
        if len(rest) > MAX_SHOWN:  # a huge line without its end yet: show what there is
            lines.append(rest)
            rest = b""
        self.partial[name] = rest
        for line in lines:
            yield name, parse(line)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def new_generation(paths: list[Path]) -> None:
    """Start new log files for a new run: each existing one becomes ``<file>.1``."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, path.with_name(path.name + ".1"))


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def colour_for(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def follow(
    paths: dict[str, Path],
    emit: Callable[[str, Line], None],
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

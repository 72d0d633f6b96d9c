"""The log relay: a service's output, line by line, into its log file with the time of each line.

stcomp starts each service with its stdout and stderr on a pipe and, beside it, one relay that
reads the pipe. The relay is a small separate process (``python -I -S``, standard library only,
never importing stcomp), started at the same moment as the service so it adds nothing to the
service's start-up; logs keep flowing when the supervisor is killed, and a service that floods
its output costs the supervisor nothing. Written by hand because no library relays a pipe with
per-line timestamps, bounded memory and size-based rotation of a file it owns, in a process
this small.

Each line is written as ``<ISO time with milliseconds> <text>``. A line longer than
``MAX_LINE`` bytes is cut into pieces of that size. When the file grows past ``MAX_BYTES`` it
becomes ``<file>.1`` (replacing the older one) and a new file is started. The relay ignores
SIGINT, SIGTERM and SIGHUP (they are meant for the service) and ends when the pipe closes: when
the service and whatever it started have exited.

Usage: python -I -S relay.py LOG_FILE MAX_BYTES  (the service's output on standard input)
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

READ_SIZE = 65536
MAX_LINE = 16384
STAMP_WIDTH = 24  # "2026-11-24T06:19:03.123 "


def stamp(now: float) -> bytes:
    seconds = int(now)
    millis = int((now - seconds) * 1000)
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(seconds)) + f".{millis:03d} "
    ).encode()


class LogFile:
    def __init__(self, path: str, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.size = os.fstat(self.fd).st_size

    def write(self, data: bytes) -> None:
        if self.max_bytes and self.size + len(data) > self.max_bytes and self.size:
            self.rotate()
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        self.size += len(data)

    def rotate(self) -> None:
        os.close(self.fd)
        with contextlib.suppress(OSError):
            os.replace(self.path, self.path + ".1")
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        self.size = 0


class Relay:
    """Lines from a pipe into a LogFile, with a partial line kept between reads."""

    def __init__(self, source: int, log: LogFile) -> None:
        self.source, self.log, self.partial = source, log, b""

    def read(self) -> bool:
        """Relay what is there; False at the end of the output."""
        try:
            chunk = os.read(self.source, READ_SIZE)
        except InterruptedError:
            return True
        if not chunk:
            self.flush()
            return False
        lines = (self.partial + chunk).split(b"\n")
        self.partial = lines.pop()
        while len(self.partial) >= MAX_LINE:
            lines.append(self.partial[:MAX_LINE])
            self.partial = self.partial[MAX_LINE:]
        if lines:
            prefix = stamp(time.time())
            self.write(b"".join(prefix + line + b"\n" for line in lines))
        return True

    def flush(self) -> None:
        if self.partial:
            self.write(stamp(time.time()) + self.partial + b"\n")
            self.partial = b""

    def write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):  # a full disk: drop them, keep the pipe flowing
            self.log.write(data)


def main(argv: list[str]) -> int:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    path, max_bytes = argv[1], int(argv[2])
    relay = Relay(sys.stdin.fileno(), LogFile(path, max_bytes))
    while relay.read():
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

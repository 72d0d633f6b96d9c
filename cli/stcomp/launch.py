"""Starting one service: its command in a session of its own, its output through a log relay.

Only the standard library is needed to launch, so a stack's first services start before the
supervisor's heavier modules are imported (psutil is loaded after the launch).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .rundir import RELAY_ENV, RUN_ID_ENV

RELAY = Path(__file__).resolve().with_name("relay.py")
DEFAULT_LOG_BYTES = 10 * 2**20


class Handle(Protocol):
    """What the supervisor needs of a started process (real or fake)."""

    pid: int
    pgid: int
    create_time: float
    started_at: float
    """Wall-clock time of the launch (0 when unknown)."""

    def poll(self) -> int | None: ...

    def wait_log(self, timeout: float) -> None:
        """Let the log catch up with an exited process (its last lines)."""


@dataclass
class ProcessHandle:
    popen: subprocess.Popen[bytes]
    pid: int
    pgid: int
    create_time: float
    relay: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0

    def poll(self) -> int | None:
        if self.relay is not None:
            self.relay.poll()  # reaped once the service's output has ended
        return self.popen.poll()

    def wait_log(self, timeout: float) -> None:
        if self.relay is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.relay.wait(timeout)


def launch(
    command: str,
    *,
    cwd: Path,
    env: dict[str, str],
    log_path: Path,
    max_log_bytes: int = DEFAULT_LOG_BYTES,
    own_session: bool = True,
) -> ProcessHandle:
    """Start ``command`` with /bin/sh in a new session (or, with ``own_session`` false, in a
    new process group of the caller's session: scheduling.py), its output relayed into
    ``log_path``.

    The relay (relay.py) starts beside it, in a session of its own, stamps each line with its
    time, rotates the file past ``max_log_bytes``, and ends when the output does; logs keep
    flowing if the supervisor dies. It is tagged with ``RELAY_ENV`` instead of the run's id, so
    that teardown (which ends every process of the run) leaves it to finish the log by itself.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    read_end, write_end = os.pipe()
    started_at = time.time()
    try:
        popen = subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.STDOUT,
            start_new_session=own_session,
            process_group=None if own_session else 0,
        )
        relay = subprocess.Popen(
            [sys.executable, "-I", "-S", str(RELAY), str(log_path), str(max_log_bytes)],
            env={"PATH": env.get("PATH", ""), RELAY_ENV: env.get(RUN_ID_ENV, "")},
            stdin=read_end,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        os.close(read_end)
        os.close(write_end)
    import psutil  # after the launch: it costs ~15 ms to import

    try:
        created = psutil.Process(popen.pid).create_time()
    except psutil.Error:
        created = 0.0
    return ProcessHandle(popen, popen.pid, popen.pid, created, relay, started_at)

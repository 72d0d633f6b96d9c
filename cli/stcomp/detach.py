"""The detached supervisor of ``stcomp up -d``: a forked child in a session of its own that
runs the plan, and the command's side that follows it until the stack is ready.

Forking (rather than starting a new interpreter) means the services start at once, with
everything already imported and checked; a wake-up pipe tells the waiting command about each
change of state, so readiness is noticed at once.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from . import state
from .errors import Interrupted, ServiceFailed, StcompError
from .locks import Locks
from .logs import tail_text
from .plan import Plan
from .runner import prelaunch, run_attached, stop_on_signals
from .scheduling import GiveWay, sharing, slowest
from .state import RunRecord, RunState, ServiceState


class Detached:
    """The background supervisor: a forked child of this process, in a session of its own."""

    def __init__(self, pid: int, wake_fd: int) -> None:
        self.pid = pid
        self.wake_fd = wake_fd  # the child writes a byte on every change of its state
        self.returncode: int | None = None

    def wait_for_change(self, timeout: float) -> bool:
        """True when the supervisor said something changed (or closed its end)."""
        ready, _, _ = select.select([self.wake_fd], [], [], timeout)
        if ready:
            os.read(self.wake_fd, 4096)
        return bool(ready)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def send_signal(self, sig: signal.Signals) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def close(self) -> None:
        """Close this side of the wake pipe (the supervisor runs on without it)."""
        with contextlib.suppress(OSError):
            os.close(self.wake_fd)


def spawn_detached(plan: Plan, locks: Locks | None = None) -> Detached:
    """Fork a background supervisor that runs the plan; its output goes to supervisor.log.

    Forking (rather than starting a new interpreter) means the services start at once, with
    everything already imported and checked.
    """
    folder = plan.run_dir.stack(plan.stack.name)
    folder.mkdir(parents=True, exist_ok=True)
    state.remove(plan.run_dir, plan.stack.name)
    sys.stdout.flush()
    sys.stderr.flush()
    wake_read, wake_write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(wake_write)
        return Detached(pid, wake_read)
    code = 1
    try:
        os.close(wake_read)
        os.setsid()
        if locks is not None:
            locks.claim(os.getpid())
        log = os.open(
            plan.run_dir.supervisor_log(plan.stack.name),
            os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
            0o644,
        )
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)

        try:
            first = slowest(plan)  # the slowest service starts first, and on its own
            together = sharing(plan, first)  # the others, in this session (scheduling.py)
            give_way = GiveWay(together)

            def wake(record: RunRecord) -> None:
                give_way.observe(record)
                with contextlib.suppress(OSError):  # the waiting command may be gone
                    os.write(wake_write, b".")

            give_way.begin()
            early = prelaunch(plan, first=first, sharing=together)
            run_attached(plan, on_change=wake, prelaunched=early, sharing=together)
            code = 0
        except Interrupted:
            code = 0
        except StcompError as exc:
            print(f"stcomp supervisor: {exc}", file=sys.stderr)
            code = exc.exit_code
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def wait_detached(
    plan: Plan,
    daemon: Detached,
    *,
    on_change: Callable[[RunRecord], None] = lambda r: None,
    interval: float = 0.05,
) -> RunRecord:
    """Follow the background supervisor's state until all is ready. Ctrl-C stops it."""
    stop = threading.Event()
    last = ""
    changed = True
    record = None
    with stop_on_signals(stop), contextlib.closing(daemon):
        while True:
            if changed:  # the state file is read only when the supervisor says it changed
                record = state.load(plan.run_dir, plan.stack.name)
            if record is not None:
                snapshot = repr(record)
                if snapshot != last:
                    last = snapshot
                    on_change(record)
                if record.state == RunState.READY:
                    return record
                if record.state == RunState.FAILED:
                    daemon.wait()
                    raise _failure(record)
            code = daemon.poll()
            if code is not None and (record is None or record.state != RunState.READY):
                record = state.load(plan.run_dir, plan.stack.name)  # its last word
                if record is not None and record.state == RunState.FAILED:
                    raise _failure(record)
                raise _supervisor_ended(plan, daemon, code)
            if stop.is_set():
                daemon.send_signal(signal.SIGTERM)
                daemon.wait()
                raise Interrupted()
            changed = daemon.wait_for_change(interval)


class SupervisorEnded(StcompError):
    """The background supervisor ended before the stack was ready, without recording why."""


def _supervisor_ended(plan: Plan, daemon: Detached, code: int) -> StcompError:
    stack = plan.stack.name
    if code < 0:
        return SupervisorEnded(
            f"the supervisor of stack '{stack}' (pid {daemon.pid}) was killed by"
            f" {signal.Signals(-code).name} before the stack was ready; services it started may"
            " still run",
            hint=f"'stcomp down {stack}' stops them; 'stcomp status' shows what runs",
        )
    said = tail_text(plan.run_dir.supervisor_log(stack), 1)
    reason = said[0].removeprefix("stcomp supervisor: ") if said else f"it exited with code {code}"
    return SupervisorEnded(
        f"the supervisor of stack '{stack}' stopped before the stack was ready: {reason}",
        hint=f"its log: {plan.run_dir.supervisor_log(stack)}",
    )


def _failure(record: RunRecord) -> ServiceFailed:
    failed = next(
        (
            s
            for s in record.services.values()
            if s.state in (ServiceState.FAILED, ServiceState.EXITED)
        ),
        None,
    )
    if failed is None:
        return ServiceFailed("stack", record.error or "failed")
    return ServiceFailed(failed.name, failed.error or "failed", tail_text(Path(failed.log), 20))

"""Running a plan: pre-flight checks, then the supervisor in the foreground or detached.

UI-agnostic: callers pass callbacks for progress; the CLI renders them with rich.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from . import state
from .errors import Interrupted, ServiceFailed, StcompError, UsageError
from .frontend import Progress, ensure_ready
from .logs import new_generation, tail_text
from .plan import Plan, check_ports
from .state import RunRecord, RunState, ServiceState
from .supervisor import Supervisor
from .teardown import is_running

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def preflight(plan: Plan, *, on_install: Progress | None = None) -> None:
    """Everything that must hold before a process starts. Raises UsageError (exit 2)."""
    previous = state.load(plan.run_dir, plan.stack.name)
    if previous is not None and is_running(previous):
        raise UsageError(
            f"stack '{plan.stack.name}' is already running (supervisor pid"
            f" {previous.supervisor_pid})",
            hint=f"'stcomp status' shows it; 'stcomp down {plan.stack.name}' stops it",
        )
    check_ports(plan)
    ensure_ready(plan, on_install=on_install)
    new_generation([plan.run_dir.log(plan.stack.name, name) for name in plan.stack.services])


@contextlib.contextmanager
def stop_on_signals(event: threading.Event) -> Iterator[None]:
    """Turn Ctrl-C and termination signals into a stop request for the supervisor loop."""
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    for sig in STOP_SIGNALS:
        signal.signal(sig, lambda *_: event.set())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_attached(
    plan: Plan,
    *,
    on_change: Callable[[RunRecord], None] = lambda r: None,
    on_tick: Callable[[], None] = lambda: None,
    on_ready: Callable[[RunRecord], None] = lambda r: None,
    on_leftovers: Callable[[list[str]], None] = lambda found: None,
) -> None:
    """Start the stack, wait while it runs, tear it down. Raises ServiceFailed or Interrupted.

    The state file is kept up to date, so `stcomp status`, `logs` and `down` work from another
    terminal. A clean stop removes it; a failure leaves it (state "failed") for `status`.
    """
    stop = threading.Event()

    def changed(record: RunRecord) -> None:
        state.save(plan.run_dir, record)
        on_change(record)

    def tick(seconds: float) -> None:
        on_tick()
        stop.wait(seconds)

    supervisor = Supervisor(plan, stop_event=stop, on_change=changed, sleep=tick)
    with stop_on_signals(stop):
        try:
            supervisor.start()
            on_ready(supervisor.record)
            supervisor.watch()
        except Interrupted:
            state.remove(plan.run_dir, plan.stack.name)
            raise
        finally:
            on_tick()
            if supervisor.leftovers:
                on_leftovers(supervisor.leftovers)


class Detached:
    """The background supervisor: a forked child of this process, in a session of its own."""

    def __init__(self, pid: int, wake_fd: int) -> None:
        self.pid = pid
        self.wake_fd = wake_fd  # the child writes a byte on every change of its state
        self.returncode: int | None = None

    def wait_for_change(self, timeout: float) -> None:
        ready, _, _ = select.select([self.wake_fd], [], [], timeout)
        if ready:
            os.read(self.wake_fd, 4096)

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


def spawn_detached(plan: Plan) -> Detached:
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
        log = os.open(
            plan.run_dir.supervisor_log(plan.stack.name),
            os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
            0o644,
        )
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)

        def wake(record: RunRecord) -> None:
            with contextlib.suppress(OSError):  # the waiting command may be gone
                os.write(wake_write, b".")

        try:
            run_attached(plan, on_change=wake)
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
    with stop_on_signals(stop):
        while True:
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
                log = plan.run_dir.supervisor_log(plan.stack.name)
                raise ServiceFailed("supervisor", f"exited with code {code}", tail_text(log, 20))
            if stop.is_set():
                daemon.send_signal(signal.SIGTERM)
                daemon.wait()
                raise Interrupted()
            daemon.wait_for_change(interval)


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

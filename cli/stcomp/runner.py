"""Running a plan: pre-flight checks, then the supervisor in the foreground or detached.

UI-agnostic: callers pass callbacks for progress; the CLI renders them with rich.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from . import state
from .entry import interrupted
from .errors import Interrupted, ServiceFailed, StcompError, UsageError
from .frontend import Progress, ensure_ready
from .locks import Locks, lock_run
from .logs import new_generation, tail_text
from .plan import Plan, check_ports
from .state import RunRecord, RunState, ServiceState
from .supervisor import Supervisor
from .teardown import is_running

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


MIN_FREE_BYTES = 50 * 2**20
"""Free disk space the run directory needs before anything starts (logs, state)."""


def check_run_dir(plan: Plan) -> None:
    """The stack's run directory exists (or can be made), is writable and has space left."""
    folder = plan.run_dir.stack(plan.stack.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(b"stcomp")
            probe.flush()
            os.fsync(probe.fileno())
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise UsageError(
            f"the run directory {folder} cannot be used: {exc.strerror or exc}",
            hint="fix its permissions or free space, or pick another with --run-dir",
        ) from None
    if free < MIN_FREE_BYTES:
        raise UsageError(
            f"the run directory {folder} has {free // 2**20} MB of disk left"
            f" (stcomp needs {MIN_FREE_BYTES // 2**20} MB for logs and state)",
            hint="free some space, or pick another run directory with --run-dir",
        )


def preflight(plan: Plan, *, on_install: Progress | None = None) -> Locks:
    """Everything that must hold before a process starts. Raises UsageError (exit 2).

    Returns the run's locks (this stack, its ports), held until the caller and its forks end.
    """
    check_run_dir(plan)
    ports = [plan.ports[s.port] for s in plan.stack.services.values() if s.port]
    locks = lock_run(
        plan.run_dir.lock(plan.stack.name), plan.stack.name, ports, plan.workspace.root
    )
    try:
        _check_not_running(plan)
        check_ports(plan)
        ensure_ready(plan, on_install=on_install)
        new_generation([plan.run_dir.log(plan.stack.name, name) for name in plan.stack.services])
        if interrupted.is_set():  # a Ctrl-C that a library swallowed during start-up
            raise Interrupted("interrupted before anything started")
    except BaseException:
        locks.release()
        raise
    return locks


def _check_not_running(plan: Plan) -> None:
    previous = state.load(plan.run_dir, plan.stack.name)
    if previous is not None and is_running(previous):
        raise UsageError(
            f"stack '{plan.stack.name}' is already running (supervisor pid"
            f" {previous.supervisor_pid})",
            hint=f"'stcomp status' shows it; 'stcomp down {plan.stack.name}' stops it",
        )


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
        try:
            state.save(plan.run_dir, record)
        except OSError as exc:
            if record.state == RunState.STARTING or record.state == RunState.READY:
                raise RunDirFailed(plan, exc) from None
            # stopping: teardown goes on whatever the disk says (it signals before it records)
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


class RunDirFailed(StcompError):
    """The state file could not be written while the stack ran (a full disk, say)."""

    def __init__(self, plan: Plan, exc: OSError) -> None:
        super().__init__(
            f"cannot write the state of stack '{plan.stack.name}' in"
            f" {plan.run_dir.stack(plan.stack.name)}: {exc.strerror or exc}; it was torn down",
            hint="free some disk space, or pick another run directory with --run-dir",
        )


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
    with stop_on_signals(stop), contextlib.closing(daemon):
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
                raise _supervisor_ended(plan, daemon, code)
            if stop.is_set():
                daemon.send_signal(signal.SIGTERM)
                daemon.wait()
                raise Interrupted()
            daemon.wait_for_change(interval)


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

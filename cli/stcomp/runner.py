"""Running a plan: pre-flight checks, then the supervisor in the foreground (detached: detach.py).

UI-agnostic: callers pass callbacks for progress; the CLI renders them with rich.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator

from . import state
from .control import listening
from .errors import Interrupted, StcompError, UsageError
from .frontend import Progress, ensure_ready
from .interrupt import interrupted
from .launch import Handle
from .locks import Locks, lock_run
from .logs import new_generation
from .plan import Plan, check_ports
from .pythonpkg import ensure_installed
from .scheduling import remember
from .state import RunRecord, RunState

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


MIN_FREE_BYTES = 50 * 2**20
"""Free disk space the run directory needs before anything starts (logs, state)."""


def check_run_dir(plan: Plan) -> None:
    """The stack's run directory exists (or can be made), is writable and has space left."""
    folder = plan.run_dir.stack(plan.stack.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A file written and removed, and the space left (what tempfile.TemporaryFile and
        # shutil.disk_usage would do, without their imports on the way to the first start).
        probe = folder / f".write-probe-{os.getpid()}"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, b"stcomp")
        finally:
            os.close(fd)
            probe.unlink(missing_ok=True)
        disk = os.statvfs(folder)
        free = disk.f_bavail * disk.f_frsize
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
        prepare(plan, on_install)
        new_generation([plan.run_dir.log(plan.stack.name, name) for name in plan.stack.services])
        if interrupted.is_set():  # a Ctrl-C that a library swallowed during start-up
            raise Interrupted("interrupted before anything started")
    except BaseException:
        locks.release()
        raise
    return locks


def prepare(plan: Plan, on_install: Progress | None = None) -> None:
    """What the stack needs installed or built before it starts: its own Python package (v2),
    its front end's dependencies, or its release build."""
    ensure_installed(plan, on_install)
    ensure_ready(plan, on_install=on_install)


def _check_not_running(plan: Plan) -> None:
    previous = state.load(plan.run_dir, plan.stack.name)
    if previous is None:
        return
    from .teardown import is_running

    if is_running(previous):
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
    prelaunched: dict[str, Handle] | None = None,
    sharing: frozenset[str] = frozenset(),
) -> None:
    """Start the stack, wait while it runs, tear it down. Raises ServiceFailed or Interrupted.

    The state file is kept up to date, so `stcomp status`, `logs` and `down` work from another
    terminal. A clean stop removes it; a failure leaves it (state "failed") for `status`.
    """
    stop = threading.Event()
    changed = state_writer(plan, on_change)

    def tick(seconds: float) -> None:
        on_tick()
        stop.wait(seconds)

    try:
        from .supervisor import Supervisor

        supervisor = Supervisor(
            plan,
            stop_event=stop,
            on_change=changed,
            sleep=tick,
            prelaunched=prelaunched,
            sharing=sharing,
        )
    except BaseException:
        abandon(prelaunched or {})
        raise

    def asked_by_down() -> None:  # through the control FIFO: down sweeps and checks itself
        supervisor.sweeps = False
        stop.set()

    control_fifo = plan.run_dir.control(plan.stack.name)
    with stop_on_signals(stop), listening(control_fifo, asked_by_down):
        try:
            supervisor.start()
            on_ready(supervisor.record)
            supervisor.watch()
        except Interrupted:
            if supervisor.sweeps:  # else down asked, and reads the final record (control.py)
                state.remove(plan.run_dir, plan.stack.name)
            raise
        finally:
            on_tick()
            if supervisor.leftovers:
                on_leftovers(supervisor.leftovers)


def prelaunch(
    plan: Plan, *, first: str | None = None, sharing: frozenset[str] = frozenset()
) -> dict[str, Handle]:
    """Launch the services that need nothing before them, before the supervisor's modules are
    loaded: the lean path from the shell to the first service's start. ``first`` goes first;
    those in ``sharing`` start in the caller's session (scheduling.py). The supervisor adopts
    them (``run_attached(prelaunched=...)``)."""
    from .launch import launch

    ready_to_go = [svc for svc in plan.stack.ordered() if not svc.needs]
    ready_to_go.sort(key=lambda svc: svc.name != first)  # stable: the rest keep their order
    return {
        svc.name: launch(
            svc.command,
            cwd=plan.workspace.root,
            env=plan.env_for(svc.name),
            log_path=plan.run_dir.log(plan.stack.name, svc.name),
            max_log_bytes=plan.workspace.log_bytes,
            own_session=svc.name not in sharing,
        )
        for svc in ready_to_go
    }


def abandon(handles: dict[str, Handle]) -> None:
    """Kill prelaunched services that no supervisor adopted."""
    for handle in handles.values():
        with contextlib.suppress(OSError):
            os.killpg(handle.pgid, signal.SIGKILL)


def state_writer(plan: Plan, on_change: Callable[[RunRecord], None]) -> Callable[[RunRecord], None]:
    """Save each change of the run's state, then tell ``on_change``. A state that cannot be
    written while the stack starts or runs fails the run (RunDirFailed: it is torn down); while
    it stops, teardown goes on whatever the disk says (it signals before it records)."""

    started = False

    def changed(record: RunRecord) -> None:
        nonlocal started
        try:
            state.save(plan.run_dir, record)
        except OSError as exc:
            if record.state in (RunState.STARTING, RunState.READY):
                raise RunDirFailed(plan, exc) from None
        on_change(record)
        if record.state == RunState.READY and not started:  # the start, not a later restart
            started = True
            remember(plan, record)  # after on_change: the waiting command hears of it first

    return changed


class RunDirFailed(StcompError):
    """The state file could not be written while the stack ran (a full disk, say)."""

    def __init__(self, plan: Plan, exc: OSError) -> None:
        super().__init__(
            f"cannot write the state of stack '{plan.stack.name}' in"
            f" {plan.run_dir.stack(plan.stack.name)}: {exc.strerror or exc}; it was torn down",
            hint="free some disk space, or pick another run directory with --run-dir",
        )

"""The supervisor: starts a stack's services in dependency order, watches them while they run,
restarts them by their policy, and tears them down.

Each service starts as soon as every service it ``needs`` is ready (services it only ``uses``
start beside it); services that do not depend on each other start together. Readiness is
noticed at once: a cheap connection attempt every tick (5 ms while starting), then the probe in
a background thread per service, so a slow probe (a dev server compiling its first page) never
delays the others. A service is ready only when the listener on its port is its own. After
start-up the probe keeps running at a slower pace (liveness): a service that stops answering
is marked unhealthy; one that exits is restarted or fails the stack, by its ``restart`` policy.

The clock, the sleep, the launcher, the probes and the stopper are injectable, so the
sequencing logic is tested without real processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from . import launch, ports, probes, process
from .config import Service
from .errors import Interrupted, ServiceFailed
from .logs import tail_text
from .plan import Plan
from .state import RunRecord, RunState, ServiceRecord, ServiceState
from .stopplan import Stopper, group_of, stop_run, strays_of

Launcher = Callable[..., launch.Handle]
ProbeFn = Callable[..., bool]
PortOpen = Callable[[int], bool]
OwnerCheck = Callable[[int, list[int]], "ports.PortHolder | None"]
LOG_TAIL = 20
START_TICK = 0.005
"""Seconds between checks while a service is starting: a refused connection costs microseconds."""
WATCH_TICK = 0.05
LIVENESS_INTERVAL = 2.0
LIVENESS_TIMEOUT = 2.0
UNHEALTHY_AFTER = 3
"""Failed liveness probes in a row that make a ready service unhealthy."""
BACKOFF_MAX = 30.0


def backoff(restarts: int) -> float:
    """Seconds before restart number ``restarts`` (1, 2, 4, … up to BACKOFF_MAX)."""
    return min(BACKOFF_MAX, 2.0 ** max(0, restarts - 1))


class _ProbeRun:
    """One probe attempt running in a daemon thread."""

    def __init__(self, fn: Callable[[], bool], *, threaded: bool = True) -> None:
        self.result: bool | None = None
        self._done = threading.Event()
        if threaded:
            threading.Thread(target=self._run, args=(fn,), daemon=True).start()
            self._done.wait(0.005)  # a quick answer is used this tick
        else:
            self._run(fn)

    def _run(self, fn: Callable[[], bool]) -> None:
        try:
            self.result = bool(fn())
        except Exception:
            self.result = False
        finally:
            self._done.set()


class Supervisor:
    def __init__(
        self,
        plan: Plan,
        *,
        launcher: Launcher = launch.launch,
        sweeper: Callable[[str], list[psutil.Process]] = process.stop_strays,
        ports_left: Callable[[list[int]], list[int]] = ports.wait_ports_free,
        probe: ProbeFn = probes.check,
        port_open: PortOpen = probes.tcp_open,
        foreign: OwnerCheck = ports.foreign_listener,
        members: Callable[[launch.Handle], list[int]] | None = None,
        stopper: Stopper = process.stop_groups,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] | None = None,
        interval: float = WATCH_TICK,
        start_interval: float = START_TICK,
        stop_event: threading.Event | None = None,
        on_change: Callable[[RunRecord], None] | None = None,
        threaded_probes: bool = True,
        prelaunched: dict[str, launch.Handle] | None = None,
        sharing: frozenset[str] = frozenset(),
    ) -> None:
        self.plan = plan
        self.prelaunched = dict(prelaunched or {})
        self.sharing = sharing
        """Services started in this process's session rather than their own (scheduling.py)."""
        self.launcher = launcher
        self.probe = probe
        self.port_open = port_open
        self.foreign = foreign
        self.members = members or _group_pids
        self.stopper = stopper
        self.sweeper = sweeper
        self.ports_left = ports_left
        self.leftovers: list[str] = []
        self.sweeps = True
        """Whether ``stop`` also sweeps the run's stray processes and checks its ports;
        ``stcomp down`` does both itself when it asked for the stop (control.py)."""
        self.clock = clock
        self.stop_event = stop_event or threading.Event()
        self.sleep = sleep or self.stop_event.wait
        self.interval = interval
        self.start_interval = start_interval
        self.on_change = on_change or (lambda record: None)
        self.threaded_probes = threaded_probes
        self.handles: dict[str, launch.Handle] = {}
        self._started: dict[str, float] = {}
        self._probing: dict[str, _ProbeRun] = {}
        self._next_check: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        self._restart_at: dict[str, float] = {}
        self._owner_checked: set[str] = set()
        self.record = _new_record(plan)

    # -- start-up -----------------------------------------------------------------------
    def start(self) -> None:
        """Start every service and wait until all are ready.

        On a failure or an interruption everything started is torn down before the error is
        raised: ServiceFailed (with the failing service's last log lines) or Interrupted.
        """
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        stack = self.plan.stack
        deadline = self.clock() + stack.timeout
        self._changed()
        while True:
            if self.stop_event.is_set():
                raise Interrupted()
            self._tick(deadline)
            if all(r.state == ServiceState.READY for r in self.record.services.values()):
                self.record.state = RunState.READY
                self._changed()
                return
            if self.clock() >= deadline:
                self._late(stack.ordered())
            self.sleep(self.start_interval)

    def _late(self, services: list[Service]) -> None:
        late = next(s for s in services if self.record.services[s.name].state != ServiceState.READY)
        rec = self.record.services[late.name]
        if rec.state == ServiceState.PENDING:
            reason = f"never started: it waits for {', '.join(late.needs)}"
        else:
            reason = f"was not ready after {self.plan.stack.timeout:g} s (probe {late.probe})"
        self._fail(late, reason, None)

    # -- one pass over the services, while starting and while running ---------------------
    def _tick(self, deadline: float | None) -> None:
        for svc in self.plan.stack.ordered():
            rec = self.record.services[svc.name]
            if rec.state in (ServiceState.STARTING, ServiceState.READY, ServiceState.UNHEALTHY):
                code = self.handles[svc.name].poll()
                if code is not None:
                    self._exited(svc, code)
                    continue
            if rec.state == ServiceState.STARTING:
                self._readiness(svc, deadline)
            elif rec.state in (ServiceState.READY, ServiceState.UNHEALTHY):
                self._liveness(svc)
            elif rec.state == ServiceState.RESTARTING:
                if self.clock() >= self._restart_at[svc.name]:
                    self._launch(svc)
            elif rec.state == ServiceState.PENDING and all(
                self.record.services[d].state == ServiceState.READY for d in svc.needs
            ):
                self._launch(svc)

    def _readiness(self, svc: Service, deadline: float | None) -> None:
        port = self.plan.port_of(svc.name)
        attempt = self._probing.get(svc.name)
        if attempt is None or attempt.result is False:
            listens = port is not None and svc.probe.needs_port
            if listens and not self.port_open(port):
                return  # nothing listens yet: no probe needed
            limit = max(1.0, deadline - self.clock()) if deadline else 30.0
            attempt = self._probing[svc.name] = self._attempt(svc, limit)
            if listens:
                # Once the probe is out (a dev server compiles its page at the first request,
                # which should not wait for this look at who listens); ready needs both.
                self._check_owner(svc, port)
        if attempt.result is True:
            del self._probing[svc.name]
            self._ready(svc)

    def _liveness(self, svc: Service) -> None:
        if not svc.probe.needs_port:
            return
        attempt = self._probing.get(svc.name)
        if attempt is not None and attempt.result is not None:
            del self._probing[svc.name]
            self._judge(svc, attempt.result)
        elif attempt is None and self.clock() >= self._next_check.get(svc.name, 0.0):
            self._next_check[svc.name] = self.clock() + LIVENESS_INTERVAL
            self._probing[svc.name] = self._attempt(svc, LIVENESS_TIMEOUT)

    def _judge(self, svc: Service, healthy: bool) -> None:
        rec = self.record.services[svc.name]
        self._failures[svc.name] = 0 if healthy else self._failures.get(svc.name, 0) + 1
        if healthy and rec.state == ServiceState.UNHEALTHY:
            rec.state, rec.error = ServiceState.READY, None
            self._changed()
        elif self._failures[svc.name] >= UNHEALTHY_AFTER and rec.state == ServiceState.READY:
            rec.state = ServiceState.UNHEALTHY
            rec.error = f"stopped answering its probe ({svc.probe})"
            self._changed()
            if svc.restart != "no":
                self._stop_one(svc)
                self._exited(svc, None)

    def _attempt(self, svc: Service, timeout: float) -> _ProbeRun:
        port = self.plan.port_of(svc.name)
        since = self.record.services[svc.name].started_at or 0.0
        return _ProbeRun(
            lambda: self.probe(svc.probe, port, timeout=timeout, since=since),
            threaded=self.threaded_probes,
        )

    # -- state changes --------------------------------------------------------------------
    def _launch(self, svc: Service) -> None:
        rec = self.record.services[svc.name]
        log = Path(rec.log)
        log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.prelaunched.pop(svc.name, None) or self.launcher(
            svc.command,
            cwd=self.plan.workspace.root,
            env=self.plan.env_for(svc.name),
            log_path=log,
            max_log_bytes=self.plan.workspace.log_bytes,
            own_session=svc.name not in self.sharing,
        )
        self.handles[svc.name] = handle
        # A prelaunched service started before this supervisor existed: its clocks start then.
        before = max(0.0, time.time() - handle.started_at) if handle.started_at else 0.0
        self._started[svc.name] = self.clock() - before
        self._probing.pop(svc.name, None)
        self._owner_checked.discard(svc.name)
        rec.pid, rec.pgid, rec.create_time = handle.pid, handle.pgid, handle.create_time
        rec.started_at = handle.started_at or time.time()
        rec.state = ServiceState.STARTING
        rec.exit_code = None
        self._changed()

    def _check_owner(self, svc: Service, port: int) -> None:
        """Fail at once when the listener on the service's port is not of its process tree
        (checked once per launch, when the port first answers)."""
        if svc.name in self._owner_checked:
            return
        holder = self.foreign(port, self.members(self.handles[svc.name]))
        if holder is not None:
            self._fail(
                svc,
                f"is not the one answering on port {port}: {holder.describe()}",
                None,
                hint="stop that process, or pick another port with --port NAME=NUMBER",
            )
        self._owner_checked.add(svc.name)

    def _ready(self, svc: Service) -> None:
        rec = self.record.services[svc.name]
        port = self.plan.port_of(svc.name)
        if port is not None and svc.probe.needs_port:
            self._check_owner(svc, port)
        rec.state = ServiceState.READY
        rec.error = None
        rec.ready_after = round(self.clock() - self._started[svc.name], 3)
        self._failures[svc.name] = 0
        self._next_check[svc.name] = self.clock() + LIVENESS_INTERVAL
        self._changed()

    def _exited(self, svc: Service, code: int | None) -> None:
        """A service's process ended (``code``), or was stopped for not answering (None):
        restart it by its policy, or fail the stack."""
        rec = self.record.services[svc.name]
        wanted = svc.restart == "always" or (svc.restart == "on-failure" and code != 0)
        how = f"exited with code {code}" if code is not None else rec.error or "was stopped"
        if wanted and rec.restarts < svc.max_restarts:
            rec.restarts += 1
            delay = backoff(rec.restarts)
            rec.state, rec.exit_code = ServiceState.RESTARTING, code
            rec.error = f"{how}; restart {rec.restarts} of {svc.max_restarts} in {delay:g} s"
            self._restart_at[svc.name] = self.clock() + delay
            self._changed()
            return
        if wanted:
            how += f" (gave up after {svc.max_restarts} restarts)"
        starting = rec.state == ServiceState.STARTING and self.record.state == RunState.STARTING
        self._fail(svc, f"{how} before it was ready" if starting else how, code)

    def _stop_one(self, svc: Service) -> None:
        group = group_of(self.record.services[svc.name])
        if group is not None:
            self.stopper([group])

    def _fail(self, svc: Service, reason: str, code: int | None, hint: str | None = None) -> None:
        rec = self.record.services[svc.name]
        rec.state = ServiceState.FAILED if code is None else ServiceState.EXITED
        rec.exit_code = code
        rec.error = reason
        self.record.state = RunState.FAILED
        self.record.error = f"service '{svc.name}' {reason}"
        self._changed()
        if code is not None:
            self.handles[svc.name].wait_log(1.0)
        raise ServiceFailed(svc.name, reason, tail_text(Path(rec.log), LOG_TAIL), hint=hint)

    # -- running ------------------------------------------------------------------------
    def watch(self) -> None:
        """Watch while the stack runs: liveness, restarts. Returns when asked to stop
        (Interrupted is raised); a service that fails for good raises ServiceFailed. Either way
        the stack is torn down."""
        try:
            while not self.stop_event.is_set():
                self._tick(None)
                self.sleep(self.interval)
            raise Interrupted()
        finally:
            self.stop()

    # -- teardown -----------------------------------------------------------------------
    def stop(self) -> list[psutil.Process]:
        """Stop with the stop plan (dependants first, each level as one batch), then sweep
        what carries the run's tag and check the ports are free (unless ``sweeps`` is off).

        Idempotent. Returns survivors (processes that outlived SIGKILL), normally none.
        """
        if self.record.state != RunState.FAILED:
            self.record.state = RunState.STOPPING
        if not self.sweeps and self.handles:  # down reports them (control.py)
            self.record.strays = strays_of(self.record)
        survivors = stop_run(self.record, self.stopper)
        if self.handles:
            busy: list[int] = []
            if self.sweeps:
                survivors += self.sweeper(self.plan.run_id)
                ports = [
                    r.port for n, r in self.record.services.items() if r.port and n in self.handles
                ]
                busy = self.ports_left(ports)
            self.leftovers = [f"pid {p.pid} survived SIGKILL" for p in survivors]
            self.leftovers += [f"port {port} is still taken" for port in busy]
        if self.record.state != RunState.FAILED:
            self.record.state = RunState.STOPPED
        self._changed()
        return survivors

    def _changed(self) -> None:
        self.on_change(self.record)


def _group_pids(handle: launch.Handle) -> list[int]:
    return [p.pid for p in process.group_members(handle.pgid, handle.pid, handle.create_time)]


def _new_record(plan: Plan) -> RunRecord:
    me = psutil.Process()
    return RunRecord(
        stack=plan.stack.name,
        mode=plan.mode,
        workspace=str(plan.workspace.root),
        supervisor_pid=me.pid,
        supervisor_create_time=me.create_time(),
        started_at=time.time(),
        run_id=plan.run_id,
        services={
            svc.name: ServiceRecord(
                name=svc.name,
                process=svc.process,
                port=plan.port_of(svc.name),
                url=plan.url_of(svc.name),
                log=str(plan.run_dir.log(plan.stack.name, svc.name)),
                needs=list(svc.needs),
                stop_signal=svc.stop_signal.name,
                grace=svc.grace,
                restart=svc.restart,
            )
            for svc in plan.stack.ordered()
        },
    )

"""The supervisor: starts a stack's services in dependency order and tears them down.

Each service starts as soon as every service it needs is ready; services that do not depend on
each other start together. Readiness is probed every ``interval`` seconds in a background
thread per service, so a slow probe (a dev server compiling its first page) never delays the
others. The clock, the sleep, the launcher, the probe and the stopper are injectable, so the
sequencing logic is tested without real processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from . import probes, process
from .config import Service
from .errors import Interrupted, ServiceFailed
from .logs import tail_text
from .plan import Plan
from .ports import wait_ports_free
from .state import RunRecord, RunState, ServiceRecord, ServiceState
from .stopplan import Stopper, stop_run

Launcher = Callable[..., process.Handle]
ProbeFn = Callable[..., bool]
LOG_TAIL = 20


class _ProbeRun:
    """One probe attempt running in a daemon thread."""

    def __init__(self, fn: Callable[[], bool], *, threaded: bool = True) -> None:
        self.result: bool | None = None
        self._done = threading.Event()
        if threaded:
            threading.Thread(target=self._run, args=(fn,), daemon=True).start()
            self._done.wait(0.01)  # a refused connection answers at once: use it this tick
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
        launcher: Launcher = process.launch,
        sweeper: Callable[[str], list[psutil.Process]] = process.stop_strays,
        ports_left: Callable[[list[int]], list[int]] = wait_ports_free,
        probe: ProbeFn = probes.check,
        stopper: Stopper = process.stop_groups,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] | None = None,
        interval: float = 0.05,
        stop_event: threading.Event | None = None,
        on_change: Callable[[RunRecord], None] | None = None,
        threaded_probes: bool = True,
    ) -> None:
        self.plan = plan
        self.launcher = launcher
        self.probe = probe
        self.stopper = stopper
        self.sweeper = sweeper
        self.ports_left = ports_left
        self.leftovers: list[str] = []
        self.clock = clock
        self.stop_event = stop_event or threading.Event()
        self.sleep = sleep or self.stop_event.wait
        self.interval = interval
        self.on_change = on_change or (lambda record: None)
        self.threaded_probes = threaded_probes
        self.handles: dict[str, process.Handle] = {}
        self._started: dict[str, float] = {}
        me = psutil.Process()
        self.record = RunRecord(
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
                )
                for svc in plan.stack.ordered()
            },
        )

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
        services = stack.ordered()
        deadline = self.clock() + stack.timeout
        probing: dict[str, _ProbeRun] = {}
        self._changed()
        while True:
            if self.stop_event.is_set():
                raise Interrupted()
            for svc in services:
                rec = self.record.services[svc.name]
                if rec.state != ServiceState.STARTING:
                    continue
                code = self.handles[svc.name].poll()
                if code is not None:
                    self._fail(svc, f"exited with code {code} before it was ready", code)
                attempt = probing.get(svc.name)
                if attempt is None or attempt.result is False:
                    attempt = probing[svc.name] = self._probe(svc, deadline)
                if attempt.result is True:
                    self._ready(svc)
            for svc in services:
                rec = self.record.services[svc.name]
                if rec.state == ServiceState.PENDING and all(
                    self.record.services[d].state == ServiceState.READY for d in svc.needs
                ):
                    self._launch(svc)
            if all(r.state == ServiceState.READY for r in self.record.services.values()):
                self.record.state = RunState.READY
                self._changed()
                return
            if self.clock() >= deadline:
                late = next(
                    s for s in services if self.record.services[s.name].state != ServiceState.READY
                )
                waiting = self.record.services[late.name].state == ServiceState.PENDING
                reason = (
                    f"never started: it waits for {', '.join(late.needs)}"
                    if waiting
                    else f"was not ready after {stack.timeout:g} s (probe {late.probe})"
                )
                self._fail(late, reason, None)
            self.sleep(self.interval)

    def _launch(self, svc: Service) -> None:
        rec = self.record.services[svc.name]
        log = Path(rec.log)
        log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.launcher(
            svc.command, cwd=self.plan.workspace.root, env=self.plan.env_for(svc.name), log_path=log
        )
        self.handles[svc.name] = handle
        self._started[svc.name] = self.clock()
        rec.pid, rec.pgid, rec.create_time = handle.pid, handle.pgid, handle.create_time
        rec.started_at = time.time()
        rec.state = ServiceState.STARTING
        self._changed()

    def _probe(self, svc: Service, deadline: float) -> _ProbeRun:
        port = self.plan.port_of(svc.name)
        timeout = max(1.0, deadline - self.clock())
        return _ProbeRun(
            lambda: self.probe(svc.probe, port, timeout=timeout), threaded=self.threaded_probes
        )

    def _ready(self, svc: Service) -> None:
        rec = self.record.services[svc.name]
        rec.state = ServiceState.READY
        rec.ready_after = round(self.clock() - self._started[svc.name], 3)
        self._changed()

    def _fail(self, svc: Service, reason: str, code: int | None) -> None:
        rec = self.record.services[svc.name]
        rec.state = ServiceState.FAILED if code is None else ServiceState.EXITED
        rec.exit_code = code
        rec.error = reason
        self.record.state = RunState.FAILED
        self.record.error = f"service '{svc.name}' {reason}"
        self._changed()
        raise ServiceFailed(svc.name, reason, tail_text(Path(rec.log), LOG_TAIL))

    # -- running ------------------------------------------------------------------------
    def watch(self) -> None:
        """Wait while every service runs. Returns when asked to stop (Interrupted is raised);
        a service that exits raises ServiceFailed. Either way the stack is torn down."""
        try:
            while not self.stop_event.is_set():
                for svc in self.plan.stack.ordered():
                    code = self.handles[svc.name].poll()
                    if code is not None:
                        self._fail(svc, f"exited with code {code}", code)
                self.sleep(self.interval)
            raise Interrupted()
        finally:
            self.stop()

    # -- teardown -----------------------------------------------------------------------
    def stop(self) -> list[psutil.Process]:
        """Stop with the stop plan (dependants first, each level as one batch), then sweep
        what carries the run's tag and check the ports are free.

        Idempotent. Returns survivors (processes that outlived SIGKILL), normally none.
        """
        if self.record.state != RunState.FAILED:
            self.record.state = RunState.STOPPING
        survivors = stop_run(self.record, self.stopper)
        if self.handles:
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

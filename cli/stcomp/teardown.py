"""``stcomp down``: stopping a recorded run from its state file, even after its supervisor was
SIGKILLed. The services are stopped with the same stop plan the supervisor uses."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field

import psutil

from . import state
from .ports import wait_ports_free
from .process import describe, group_members, same_process, stop_strays, tagged, wait_gone
from .rundir import RunDir
from .state import RunRecord
from .stopplan import stop_run


@dataclass
class DownReport:
    stack: str
    stopped: list[str] = field(default_factory=list)
    survivors: list[int] = field(default_factory=list)
    busy_ports: list[int] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)
    """Processes of the run that had left their process group (stopped too)."""
    seconds: float = 0.0


def alive_services(record: RunRecord) -> list[str]:
    return [
        name
        for name, svc in record.services.items()
        if svc.pid and svc.pgid and group_members(svc.pgid, svc.pid, svc.create_time or 0.0)
    ]


def escaped(record: RunRecord) -> list[str]:
    """Processes of the run that left their service's process group (a detached helper)."""
    if not record.run_id:
        return []
    groups = {svc.pgid for svc in record.services.values() if svc.pgid}
    found = []
    for proc in tagged(record.run_id):
        with contextlib.suppress(OSError):
            if os.getpgid(proc.pid) not in groups:
                found.append(describe(proc))
    return found


def supervisor_of(record: RunRecord) -> psutil.Process | None:
    proc = same_process(record.supervisor_pid, record.supervisor_create_time)
    return proc if proc is not None and proc.pid != os.getpid() else None


def is_running(record: RunRecord) -> bool:
    return supervisor_of(record) is not None or bool(alive_services(record))


def stop_recorded(run_dir: RunDir, stack: str) -> DownReport | None:
    """Stop the stack recorded in the run directory; None if nothing is recorded."""
    record = state.load(run_dir, stack)
    if record is None:
        return None
    began = time.monotonic()
    report = DownReport(stack, stopped=alive_services(record), strays=escaped(record))
    finished = _stop_supervisor(record) and not run_dir.state_file(stack).exists()
    if not finished:  # no supervisor, or it did not finish: stop what it left, by the record
        report.survivors += [p.pid for p in stop_run(record)]
        if record.run_id:
            report.survivors += [p.pid for p in stop_strays(record.run_id)]
    report.busy_ports = wait_ports_free([s.port for s in record.services.values() if s.port])
    if not report.survivors:
        state.remove(run_dir, stack)
    report.seconds = round(time.monotonic() - began, 3)
    return report


def _stop_supervisor(record: RunRecord) -> bool:
    """Ask a live supervisor to tear its services down itself; kill it if it does not. True
    when it ended by itself (it removes the state file once everything is stopped and checked:
    then nothing is left to do)."""
    supervisor = supervisor_of(record)
    if supervisor is None:
        return False
    grace = max((s.grace for s in record.services.values()), default=5.0)
    with contextlib.suppress(psutil.Error):
        supervisor.send_signal(signal.SIGTERM)
    if wait_gone([supervisor], grace + 3.0):
        with contextlib.suppress(psutil.Error):
            supervisor.kill()
        return False
    return True

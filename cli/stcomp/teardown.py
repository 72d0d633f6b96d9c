"""Stopping a recorded run from its state file: works after the supervisor was SIGKILLed."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from . import state
from .ports import is_taken
from .process import group_members, same_process, stop_groups, stop_strays, wait_gone


@dataclass
class DownReport:
    stack: str
    stopped: list[str] = field(default_factory=list)
    survivors: list[int] = field(default_factory=list)
    busy_ports: list[int] = field(default_factory=list)
    seconds: float = 0.0


def alive_services(record: state.RunRecord) -> list[str]:
    return [
        name
        for name, svc in record.services.items()
        if svc.pid and svc.pgid and group_members(svc.pgid, svc.pid, svc.create_time or 0.0)
    ]


def supervisor_of(record: state.RunRecord) -> psutil.Process | None:
    proc = same_process(record.supervisor_pid, record.supervisor_create_time)
    return proc if proc is not None and proc.pid != os.getpid() else None


def is_running(record: state.RunRecord) -> bool:
    return supervisor_of(record) is not None or bool(alive_services(record))


def stop_recorded(run_dir: Path, stack: str) -> DownReport | None:
    """Stop the stack recorded in the run directory; None if nothing is recorded."""
    record = state.load(run_dir, stack)
    if record is None:
        return None
    began = time.monotonic()
    report = DownReport(stack)
    grace = max((s.grace for s in record.services.values()), default=5.0)
    supervisor = supervisor_of(record)
    if supervisor is not None:  # it tears its services down itself
        with contextlib.suppress(psutil.Error):
            supervisor.send_signal(signal.SIGTERM)
        if wait_gone([supervisor], grace + 3.0):
            with contextlib.suppress(psutil.Error):
                supervisor.kill()
    for name, svc in reversed(record.services.items()):
        if not (svc.pid and svc.pgid):
            continue
        if svc.state not in ("stopped", "failed", "exited"):
            report.stopped.append(name)
        leftovers = stop_groups(
            [
                (
                    svc.pgid,
                    svc.pid,
                    svc.create_time or 0.0,
                    signal.Signals[svc.stop_signal],
                    svc.grace,
                )
            ]
        )
        report.survivors += [p.pid for p in leftovers]
    if record.run_id:
        report.survivors += [p.pid for p in stop_strays(record.run_id)]
    report.busy_ports = wait_ports_free([s.port for s in record.services.values() if s.port])
    if not report.survivors:
        state.remove(run_dir, stack)
    report.seconds = round(time.monotonic() - began, 3)
    return report


def wait_ports_free(ports: list[int], timeout: float = 1.0) -> list[int]:
    """Ports still taken after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    busy = [p for p in ports if is_taken(p)]
    while busy and time.monotonic() < deadline:
        time.sleep(0.02)
        busy = [p for p in busy if is_taken(p)]
    return busy

"""``stcomp down``: stopping a recorded run from its state file, even after its supervisor was
SIGKILLed. The services are stopped with the same stop plan the supervisor uses.

A live supervisor is asked to stop through its control FIFO, before this module is imported
(control.py); where it could not be asked so, it gets SIGTERM, by pid once its identity is
checked."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field

import psutil

from . import state
from .ports import wait_ports_free
from .process import (
    describe,
    group_members,
    same_process,
    stop_processes,
    tagged,
    wait_gone,
)
from .rundir import RunDir
from .state import RunRecord, RunState
from .stopplan import stop_run, strays_of


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
    """The services of ``record`` that have a live process: its leader (one cheap look), or,
    when the leader is gone, a member of its group (a scan of every process)."""
    return [
        name
        for name, svc in record.services.items()
        if svc.pid
        and svc.pgid
        and (
            same_process(svc.pid, svc.create_time or 0.0) is not None
            or group_members(svc.pgid, svc.pid, svc.create_time or 0.0)
        )
    ]


def supervisor_of(record: RunRecord) -> psutil.Process | None:
    proc = same_process(record.supervisor_pid, record.supervisor_create_time)
    return proc if proc is not None and proc.pid != os.getpid() else None


def is_running(record: RunRecord) -> bool:
    return supervisor_of(record) is not None or bool(alive_services(record))


@dataclass
class Stopping:
    """A recorded run that ``down`` has begun to stop: its live supervisor, if any, was asked
    to tear its services down."""

    run_dir: RunDir
    record: RunRecord
    report: DownReport
    supervisor: psutil.Process | None
    began: float
    asked: bool = False
    """Asked through the control FIFO: the supervisor leaves the strays and ports to us."""


def begin_stop(
    run_dir: RunDir,
    stack: str,
    *,
    asked: bool = False,
    recorded: bytes | None = None,
    began: float | None = None,
) -> Stopping | None:
    """Ask the supervisor of the recorded run to stop, first of all (everything else ``down``
    does overlaps with the services' own exit); None if nothing is recorded.

    ``asked``: it was asked already, through its control FIFO (control.py), at ``began``;
    ``recorded`` is then its state file as it was read just before."""
    record = state.load(run_dir, stack, recorded)
    if record is None:
        return None
    began = time.monotonic() if began is None else began
    if asked:  # the record is a live supervisor's: what it names as running was running
        running = [n for n, s in record.services.items() if s.pid and not s.state.ended]
        return Stopping(
            run_dir, record, DownReport(stack, running), supervisor_of(record), began, True
        )
    # Looked at before the signal: a child that left its group may end at once with it.
    report = DownReport(stack, stopped=alive_services(record), strays=strays_of(record))
    supervisor = supervisor_of(record)
    if supervisor is not None:
        with contextlib.suppress(psutil.Error):
            supervisor.send_signal(signal.SIGTERM)
    return Stopping(run_dir, record, report, supervisor, began)


def finish_stop(stopping: Stopping) -> DownReport:
    """Wait for the supervisor's teardown; where there is no supervisor or it does not finish,
    stop what the record names; then check the ports."""
    record, report, stack = stopping.record, stopping.report, stopping.report.stack
    if stopping.asked:
        finished = _finished_asked(stopping)
    else:
        finished = (
            stopping.supervisor is not None
            and _wait_supervisor(stopping.supervisor, record)
            and not stopping.run_dir.state_file(stack).exists()
        )
    if not finished:  # no supervisor, or it did not finish: stop what it left, by the record
        report.survivors += [p.pid for p in stop_run(record)]
    if record.run_id and (stopping.asked or not finished):
        # what left its group and lives on (a supervisor asked through the FIFO leaves it)
        strays = tagged(record.run_id)
        if stopping.asked:  # else they were listed before the signal (escaped)
            report.strays += [describe(p) for p in strays]
        report.survivors += [p.pid for p in stop_processes(strays)]
    report.busy_ports = wait_ports_free([s.port for s in record.services.values() if s.port])
    if not report.survivors:
        state.remove(stopping.run_dir, stack)
    report.seconds = round(time.monotonic() - stopping.began, 3)
    return report


def _finished_asked(stopping: Stopping) -> bool:
    """A supervisor asked through its FIFO stops its services' groups and leaves its final
    record (state "stopped", with the strays it stopped) for us to read and remove. True when
    it did so."""
    if stopping.supervisor is not None and not _wait_supervisor(
        stopping.supervisor, stopping.record
    ):
        return False
    with contextlib.suppress(state.StateDamaged):
        final = state.load(stopping.run_dir, stopping.report.stack)
        if final is not None and final.run_id == stopping.record.run_id:
            stopping.report.strays += final.strays
            return final.state in (RunState.STOPPED, RunState.FAILED)
    return False


def _wait_supervisor(supervisor: psutil.Process, record: RunRecord) -> bool:
    """Wait for a supervisor that was asked to stop; kill it if it does not. True when it
    ended by itself (it removes the state file once everything is stopped and checked: then
    nothing is left to do)."""
    grace = max((s.grace for s in record.services.values()), default=5.0)
    if wait_gone([supervisor], grace + 3.0):
        with contextlib.suppress(psutil.Error):
            supervisor.kill()
        return False
    return True

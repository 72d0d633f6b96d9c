"""What runs now: one row per recorded service, checked against the live processes."""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass

import psutil

from . import state
from .process import group_members
from .rundir import RunDir
from .state import ServiceState
from .teardown import supervisor_of


@dataclass
class ServiceStatus:
    stack: str
    service: str
    pid: int | None
    port: int | None
    state: str
    uptime: float | None
    cpu_percent: float | None
    memory_mb: float | None
    url: str | None
    restarts: int = 0
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def collect(
    run_dir: RunDir, stacks: list[str] | None = None, sample: float = 0.1
) -> list[ServiceStatus]:
    """Rows for every recorded stack; CPU is measured over ``sample`` seconds."""
    rows: list[ServiceStatus] = []
    groups: list[tuple[ServiceStatus, list[psutil.Process]]] = []
    for name in stacks or run_dir.recorded_stacks():
        record = state.load(run_dir, name)
        if record is None:
            continue
        supervised = supervisor_of(record) is not None
        for svc in record.services.values():
            members = (
                group_members(svc.pgid, svc.pid, svc.create_time or 0.0)
                if svc.pid and svc.pgid
                else []
            )
            live_state = str(svc.state)
            if not members and svc.state.live:
                live_state = ServiceState.DEAD
            elif members and not supervised and svc.state.live:
                live_state = f"{svc.state} (no supervisor)"
            row = ServiceStatus(
                stack=name,
                service=svc.name,
                pid=svc.pid if members else None,
                port=svc.port,
                state=live_state,
                uptime=round(time.time() - svc.started_at, 1)
                if members and svc.started_at
                else None,
                cpu_percent=None,
                memory_mb=None,
                url=svc.url,
                restarts=svc.restarts,
                error=svc.error if svc.state != ServiceState.READY else None,
            )
            rows.append(row)
            groups.append((row, members))
    _measure(groups, sample)
    return rows


def _measure(groups: list[tuple[ServiceStatus, list[psutil.Process]]], sample: float) -> None:
    def cpu_times(procs: list[psutil.Process]) -> float:
        total = 0.0
        for proc in procs:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    live = [(row, procs) for row, procs in groups if procs]
    if not live:
        return
    before = [cpu_times(procs) for _, procs in live]
    time.sleep(sample)
    for (row, procs), start in zip(live, before, strict=True):
        row.cpu_percent = round(100.0 * (cpu_times(procs) - start) / sample, 1)
        rss = 0
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                rss += proc.memory_info().rss
        row.memory_mb = round(rss / 2**20, 1)

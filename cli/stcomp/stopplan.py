"""The stop plan: dependants first, one dependency level at a time, the services of a level
stopped together (one signal each, one shared grace period). Levels follow ``needs`` only:
services that merely ``use`` each other stop at once. The supervisor stops its run with it,
and so does ``stcomp down`` from the state file after the supervisor is gone.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Mapping, Sequence

import psutil

from .process import Group, describe, escaped, stop_groups
from .state import RunRecord, ServiceRecord, ServiceState

Stopper = Callable[[list[Group]], list[psutil.Process]]


def levels(needs: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Services by dependency depth: level 0 needs nothing, level n needs some of level n-1.

    Names in ``needs`` that are not keys (services left out of this run) are ignored.
    """
    depth: dict[str, int] = {}

    def visit(name: str, trail: tuple[str, ...]) -> int:
        if name not in depth:
            if name in trail:
                raise ValueError(f"'needs' forms a cycle through {name!r}")
            deps = [d for d in needs[name] if d in needs]
            depth[name] = 1 + max((visit(d, (*trail, name)) for d in deps), default=-1)
        return depth[name]

    for name in needs:
        visit(name, ())
    out: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in needs:
        out[depth[name]].append(name)
    return out


def group_of(svc: ServiceRecord) -> Group | None:
    """What to signal for a recorded service: None when nothing was started or identity is
    unknown (no create time: a process is never signalled unless it is verified)."""
    if not (svc.pid and svc.pgid and svc.create_time):
        return None
    return (svc.pgid, svc.pid, svc.create_time, signal.Signals[svc.stop_signal], svc.grace)


def stop_run(record: RunRecord, stopper: Stopper = stop_groups) -> list[psutil.Process]:
    """Stop every started service of ``record`` level by level, dependants first, and mark
    them stopped. Returns the processes that survived SIGKILL (normally none)."""
    survivors: list[psutil.Process] = []
    plan = levels({name: svc.needs for name, svc in record.services.items()})
    for level in reversed(plan):
        services = [record.services[name] for name in level]
        batch = [
            group
            for svc in services
            if svc.state != ServiceState.STOPPED and (group := group_of(svc)) is not None
        ]
        if batch:
            survivors += stopper(batch)
        for svc in services:
            if svc.pid and not svc.state.ended:
                svc.state = ServiceState.STOPPED
    return survivors


def strays_of(record: RunRecord) -> list[str]:
    """The processes of ``record``'s run that left their service's process group (a detached
    helper), described; looked at before the stop signal, which may end them at once."""
    if not record.run_id:
        return []
    groups = {svc.pgid for svc in record.services.values() if svc.pgid}
    return [describe(proc) for proc in escaped(record.run_id, groups)]

"""Process groups: who belongs to a service (verified by pid and create time), stopping groups,
and sweeping what is left of a run. Starting a service is launch.py."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time

import psutil

from .rundir import RUN_ID_ENV


def same_process(pid: int, create_time: float) -> psutil.Process | None:
    """The live process with this pid, if it is the one started at ``create_time``."""
    try:
        proc = psutil.Process(pid)
        if not create_time or abs(proc.create_time() - create_time) > 0.05:
            return None
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        return proc
    except psutil.Error:
        return None


def group_members(pgid: int, leader_pid: int, create_time: float) -> list[psutil.Process]:
    """Every live process of the group and the leader's descendants, ours by pid identity.

    A recycled pid (another create time) is never returned. Members that joined the group or
    descend from the leader count; processes that started before the leader never do.
    """
    return ProcessTable().members(pgid, leader_pid, create_time)


class ProcessTable:
    """Every process, looked at once: its parent, group, start and whether it is a zombie.
    Stopping several groups reads the table once for all of them, so that the last group's
    signal does not wait for a scan of every process per group before it."""

    def __init__(self) -> None:
        self.procs: dict[int, psutil.Process] = {}
        self.facts: dict[int, tuple[int, int, float, bool]] = {}  # ppid, pgid, start, zombie
        for proc in psutil.process_iter(["ppid", "create_time", "status"]):
            try:
                pgid = os.getpgid(proc.pid)
            except OSError:
                continue
            ppid, started, status = (proc.info[k] for k in ("ppid", "create_time", "status"))
            if ppid is None or started is None:
                continue  # not ours to look at
            self.procs[proc.pid] = proc
            self.facts[proc.pid] = (ppid, pgid, started, status == psutil.STATUS_ZOMBIE)

    def members(self, pgid: int, leader_pid: int, create_time: float) -> list[psutil.Process]:
        """As ``group_members``, from this table."""
        if not create_time:
            return []  # no identity to verify: never signal what might be someone else's
        leader = self.facts.get(leader_pid)
        is_leader = leader is not None and abs(leader[2] - create_time) <= 0.05
        if leader is not None and not is_leader and pgid == leader_pid and not leader[3]:
            return []  # the pid was recycled: that group is someone else's
        seen = {leader_pid}
        found = [leader_pid] if is_leader and leader is not None and not leader[3] else []
        if is_leader:  # its descendants, wherever their group
            children: dict[int, list[int]] = {}
            for pid, (ppid, _, _, _) in self.facts.items():
                children.setdefault(ppid, []).append(pid)
            todo = list(children.get(leader_pid, []))
            while todo:
                pid = todo.pop()
                if pid in seen:
                    continue
                seen.add(pid)
                if not self.facts[pid][3]:
                    found.append(pid)
                todo += children.get(pid, [])
        for pid, (_, group, started, zombie) in self.facts.items():
            if group == pgid and pid not in seen and not zombie and started + 0.05 >= create_time:
                seen.add(pid)
                found.append(pid)
        return [self.procs[pid] for pid in found]


def signal_members(members: list[psutil.Process], pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pgid, sig)
    for proc in members:  # descendants that left the group (the others had it from killpg)
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(proc.pid) != pgid:
                proc.send_signal(sig)


Group = tuple[int, int, float, signal.Signals, float]
"""A process group to stop: (pgid, leader pid, leader create time, signal, grace seconds)."""


def stop_groups(groups: list[Group]) -> list[psutil.Process]:
    """Stop several groups at once: (pgid, leader pid, create time, signal, grace) each.

    The signal goes to every group, then everything still alive after its grace gets SIGKILL.
    Returns the processes that survived even that (should be none).
    """
    table = ProcessTable()
    members = {pgid: table.members(pgid, pid, created) for pgid, pid, created, _, _ in groups}
    for pgid, _pid, _created, sig, _grace in groups:
        if members[pgid]:
            signal_members(members[pgid], pgid, sig)
    grace = max((g[4] for g in groups if members[g[0]]), default=0.0)
    everyone = [p for ms in members.values() for p in ms]
    alive = wait_gone(everyone, grace)
    if alive:
        for pgid, ms in members.items():
            signal_members([p for p in ms if p in alive], pgid, signal.SIGKILL)
        alive = wait_gone(alive, 2.0)
    return alive


def is_gone(proc: psutil.Process) -> bool:
    """Exited: no such process, or a zombie (its parent reaps it in its own time)."""
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def wait_gone(
    procs: list[psutil.Process], timeout: float, poll: float = 0.01
) -> list[psutil.Process]:
    """Wait until every process has exited; return those still alive after ``timeout``.

    An exit is noticed at once where the kernel gives pidfds (Linux 5.3 and later: a pidfd
    becomes readable when its process ends); a process without one is looked at every ``poll``
    seconds. psutil.wait_procs only polls, which would add half an interval to every stop.
    """
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if not is_gone(p)]
    watched = _pidfds(alive)
    poller = select.poll()
    for fd in watched:
        poller.register(fd, select.POLLIN)
    try:
        while alive and (left := deadline - time.monotonic()) > 0:
            if watched:
                blind = len(watched) < len(alive)  # some are polled: wake up for them too
                for fd, _ in poller.poll(1000 * (min(left, poll) if blind else left)):
                    poller.unregister(fd)
                    del watched[fd]
                    os.close(fd)
            else:
                time.sleep(min(left, poll))
            alive = [p for p in alive if not is_gone(p)]
    finally:
        for fd in watched:
            os.close(fd)
    return alive


def _pidfds(procs: list[psutil.Process]) -> dict[int, psutil.Process]:
    """A pidfd for each process that can have one, checked to be the same process after it was
    opened (its pid could have been reused in between)."""
    opened: dict[int, psutil.Process] = {}
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is None:
        return opened
    for proc in procs:
        try:
            fd = pidfd_open(proc.pid)
        except OSError:
            continue
        if proc.is_running():
            opened[fd] = proc
        else:
            os.close(fd)
    return opened


def tagged(run_id: str) -> list[psutil.Process]:
    """Live processes whose environment carries this run's id: every service and whatever it
    started, even a child that left its process group and its parent (a detached helper)."""
    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if (
                proc.pid != os.getpid()
                and proc.environ().get(RUN_ID_ENV) == run_id
                and proc.status() != psutil.STATUS_ZOMBIE
            ):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def escaped(run_id: str, groups: set[int]) -> list[psutil.Process]:
    """Processes of the run (by its tag) outside ``groups``: a child that left its service's
    process group (a detached helper)."""
    found = []
    for proc in tagged(run_id):
        with contextlib.suppress(OSError):
            if os.getpgid(proc.pid) not in groups:
                found.append(proc)
    return found


def describe(proc: psutil.Process) -> str:
    try:
        return f"pid {proc.pid} ({' '.join(proc.cmdline()) or proc.name()})"
    except psutil.Error:
        return f"pid {proc.pid}"


def stop_strays(run_id: str, grace: float = 1.0) -> list[psutil.Process]:
    """Stop what is left of a run after its groups were stopped (processes that carry the
    run's tag but left their group); return the survivors."""
    return stop_processes(tagged(run_id), grace)


def stop_processes(procs: list[psutil.Process], grace: float = 1.0) -> list[psutil.Process]:
    """SIGTERM, then after ``grace`` SIGKILL, to each of ``procs``; return the survivors."""
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    alive = wait_gone(procs, grace)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    return wait_gone(alive, 2.0)

"""The identity rule: a process is ours only when its pid and its create time both match."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator

import psutil
import pytest

from stcomp.process import group_members, same_process, stop_groups, wait_gone


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(["sleep", "60"], start_new_session=True)
    yield proc
    proc.kill()
    proc.wait()


def created(pid: int) -> float:
    return psutil.Process(pid).create_time()


def test_same_process_needs_the_create_time_it_was_started_at(
    sleeper: subprocess.Popen[bytes],
) -> None:
    when = created(sleeper.pid)
    assert same_process(sleeper.pid, when) is not None
    assert same_process(sleeper.pid, when + 5.0) is None  # the pid was recycled
    assert same_process(sleeper.pid, 0.0) is None  # no identity recorded: never ours


def test_a_recycled_leader_pid_has_no_members(sleeper: subprocess.Popen[bytes]) -> None:
    pid = sleeper.pid
    assert [p.pid for p in group_members(pid, pid, created(pid))] == [pid]
    assert group_members(pid, pid, created(pid) + 5.0) == []
    assert group_members(pid, pid, 0.0) == []


def test_members_include_descendants_that_left_the_group() -> None:
    parent = subprocess.Popen(
        ["sh", "-c", "setsid sleep 60 & exec sleep 60"], start_new_session=True
    )
    try:
        leader = psutil.Process(parent.pid)
        deadline = 50
        while not leader.children() and deadline:
            psutil.wait_procs([], timeout=0.02)
            deadline -= 1
        members = group_members(parent.pid, parent.pid, leader.create_time())
        assert len(members) == 2
        survivors = stop_groups(
            [(parent.pid, parent.pid, leader.create_time(), signal.SIGTERM, 2.0)]
        )
        assert survivors == []
        assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in members)
    finally:
        parent.kill()
        parent.wait()


def test_stop_groups_leaves_unverified_groups_alone(sleeper: subprocess.Popen[bytes]) -> None:
    pid = sleeper.pid
    assert stop_groups([(pid, pid, 0.0, signal.SIGKILL, 0.1)]) == []
    assert stop_groups([(pid, pid, created(pid) + 5.0, signal.SIGKILL, 0.1)]) == []
    assert sleeper.poll() is None  # still running: it was never signalled


def test_wait_gone_notices_an_exit_and_names_who_is_left(
    sleeper: subprocess.Popen[bytes],
) -> None:
    ending = subprocess.Popen(["sleep", "60"], start_new_session=True)
    procs = [psutil.Process(ending.pid), psutil.Process(sleeper.pid)]
    ending.terminate()  # a zombie until reaped below: gone all the same
    assert wait_gone(procs[:1], 10.0) == []
    ending.wait()
    assert wait_gone(procs, 0.05) == [procs[1]]  # the other one is still running

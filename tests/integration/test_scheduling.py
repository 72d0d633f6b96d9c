"""The background supervisor starts the stack's slowest service (by the last start) in a
session of its own and the others in its own session, which gives way while they start; down
stops them all the same."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from stcomp.scheduling import AUTOGROUP, GIVE_WAY_NICE
from tests.conftest import processes_of, stcomp

from .test_supervisor_faults import ADVERSARY, clean, env_for, ports_for, workspace

__all__ = ["clean"]  # the fixture, used by name


def test_the_slowest_service_of_the_last_start_runs_alone(tmp_path: Path, clean: Path) -> None:
    if not Path(AUTOGROUP).exists():  # a kernel without autogroup scheduling: nothing to weigh
        pytest.skip(f"{AUTOGROUP} is missing: this kernel has no autogroup scheduling")
    ws = workspace(
        tmp_path,
        {
            # what CPU weight its session has as it starts (scheduling.GiveWay)
            "fast": f"cat {AUTOGROUP}; {ADVERSARY} late $FAST_PORT 0",
            "slow": f"cat {AUTOGROUP}; {ADVERSARY} late $SLOW_PORT 0.8",
        },
    )
    _, args = ports_for(["fast", "slow"])
    up = ("up", "adv", "-d", *args)

    def session_of(name: str) -> str:
        record = json.loads((clean / "adv" / "state.json").read_text())
        pid = record["services"][name]["pid"]
        if os.getsid(pid) == pid:
            return "own"
        return "supervisor's" if os.getsid(pid) == record["supervisor_pid"] else "other"

    assert stcomp(*up, cwd=ws, run_dir=clean, env=env_for(ws)).returncode == 0
    assert (session_of("fast"), session_of("slow")) == ("own", "own")  # nothing known yet
    assert stcomp("down", "adv", cwd=ws, run_dir=clean).returncode == 0
    took = json.loads((clean / "adv" / "timings.json").read_text())
    assert took["slow"] > took["fast"]

    def nice_at_start(name: str) -> int:
        first_line = (clean / "adv" / "logs" / f"{name}.log").read_text().splitlines()[0]
        return int(first_line.rsplit(" ", 1)[1])  # "/autogroup-123 nice 19"

    assert (nice_at_start("fast"), nice_at_start("slow")) == (0, 0)

    assert stcomp(*up, cwd=ws, run_dir=clean, env=env_for(ws)).returncode == 0
    assert (session_of("fast"), session_of("slow")) == ("supervisor's", "own")
    assert (nice_at_start("fast"), nice_at_start("slow")) == (GIVE_WAY_NICE, 0)
    # and once fast was ready, its session was restored (a refusal is retried on a thread)
    supervisor = json.loads((clean / "adv" / "state.json").read_text())["supervisor_pid"]
    knob = Path(f"/proc/{supervisor}/autogroup")
    deadline = time.monotonic() + 5
    while knob.read_text().split()[-1] != "0" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert knob.read_text().split()[-1] == "0"
    down = stcomp("down", "adv", cwd=ws, run_dir=clean)
    assert down.returncode == 0, down.stdout + down.stderr
    assert "fast, slow" in down.stdout or "slow, fast" in down.stdout
    assert processes_of(clean) == []

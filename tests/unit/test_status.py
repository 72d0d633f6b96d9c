"""`stcomp status` rows, from a state file checked against the live processes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psutil

from stcomp import state
from stcomp.rundir import RunDir
from stcomp.state import RunRecord, ServiceRecord, ServiceState
from stcomp.status import collect


def service(name: str, proc: subprocess.Popen[bytes] | None) -> ServiceRecord:
    rec = ServiceRecord(name, name, 4010, "http://localhost:4010", "log", state=ServiceState.READY)
    if proc is not None:
        rec.pid = rec.pgid = proc.pid
        rec.create_time = psutil.Process(proc.pid).create_time()
        rec.started_at = rec.create_time
    else:
        rec.pid = rec.pgid = 2**22 - 3  # nothing runs there
        rec.create_time = 1.0
    return rec


def test_rows_tell_live_dead_and_unsupervised_services(tmp_path: Path) -> None:
    live = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        me = psutil.Process()
        record = RunRecord("zero", "dev", "/w", me.pid, me.create_time(), 0.0)
        record.services = {"web": service("web", live), "api": service("api", None)}
        run_dir = RunDir(tmp_path)
        state.save(run_dir, record)
        rows = {r.service: r for r in collect(run_dir, sample=0.01)}
        # the supervisor recorded here is this test process, which status never counts
        assert rows["web"].state == "ready (no supervisor)"
        assert rows["web"].pid == live.pid and rows["web"].memory_mb is not None
        assert rows["web"].uptime is not None and rows["web"].uptime >= 0
        assert rows["api"].state == ServiceState.DEAD and rows["api"].pid is None
        assert rows["api"].cpu_percent is None
    finally:
        live.kill()
        live.wait()


def test_nothing_recorded_is_no_rows(tmp_path: Path) -> None:
    assert collect(RunDir(tmp_path / "missing")) == []
    assert os.path.exists(tmp_path)

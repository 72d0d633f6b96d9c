"""The run directory: per-stack state files and log files that outlive the supervisor.

Layout::

    <run_dir>/<stack>/state.json        what runs: supervisor and services, pids, ports, states
    <run_dir>/<stack>/logs/<svc>.log    each service's stdout and stderr, written by the service
    <run_dir>/<stack>/supervisor.log    the detached supervisor's own output
    <run_dir>/secrets.env               generated local development secrets (mode 0600)
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "state.json"


@dataclass
class ServiceRecord:
    name: str
    process: str
    port: int | None
    url: str | None
    log: str
    state: str = "pending"  # pending, starting, ready, failed, exited, stopped
    stop_signal: str = "SIGTERM"
    grace: float = 5.0
    pid: int | None = None
    pgid: int | None = None
    create_time: float | None = None
    started_at: float | None = None  # wall clock
    ready_after: float | None = None  # seconds from start to ready
    exit_code: int | None = None
    error: str | None = None


@dataclass
class RunRecord:
    stack: str
    mode: str  # dev or release
    workspace: str
    supervisor_pid: int
    supervisor_create_time: float
    started_at: float
    state: str = "starting"  # starting, ready, failed, stopping, stopped
    error: str | None = None
    run_id: str = ""  # STCOMP_RUN_ID in every service's environment
    services: dict[str, ServiceRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        services = {n: ServiceRecord(**s) for n, s in data.pop("services", {}).items()}
        return cls(**data, services=services)


def stack_dir(run_dir: Path, stack: str) -> Path:
    return run_dir / stack


def log_path(run_dir: Path, stack: str, service: str) -> Path:
    return run_dir / stack / "logs" / f"{service}.log"


def write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write a whole file or nothing: a temp file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save(run_dir: Path, record: RunRecord) -> None:
    write_atomic(
        stack_dir(run_dir, record.stack) / STATE_FILE, json.dumps(record.to_json(), indent=2)
    )


def load(run_dir: Path, stack: str) -> RunRecord | None:
    try:
        data = json.loads((stack_dir(run_dir, stack) / STATE_FILE).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return RunRecord.from_json(data)


def remove(run_dir: Path, stack: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        (stack_dir(run_dir, stack) / STATE_FILE).unlink()


def recorded_stacks(run_dir: Path) -> list[str]:
    """Stacks that have a state file (running, or left behind by a killed supervisor)."""
    if not run_dir.is_dir():
        return []
    return sorted(p.parent.name for p in run_dir.glob(f"*/{STATE_FILE}"))

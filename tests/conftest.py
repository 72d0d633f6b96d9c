"""Helpers shared by all tests: free ports, the CLI as a subprocess, leftover-process checks."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from stcomp.ports import free_port, free_ports

REPO = Path(__file__).resolve().parents[1]


def processes_of(run_dir: Path) -> list[psutil.Process]:
    """Live processes started for this run directory (they carry STCOMP_RUN_DIR)."""
    marker = str(run_dir)
    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.pid == os.getpid() or proc.status() == psutil.STATUS_ZOMBIE:
                continue
            if proc.environ().get("STCOMP_RUN_DIR") == marker:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def kill_all(procs: list[psutil.Process]) -> None:
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.send_signal(signal.SIGKILL)
    psutil.wait_procs(procs, timeout=3)


@pytest.fixture(autouse=True, scope="session")
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache of checked workspaces (config/cache.py) of this session, not the developer's:
    set here, it reaches every stcomp the tests start."""
    os.environ["STCOMP_CACHE_DIR"] = str(tmp_path_factory.mktemp("stcomp-cache"))


@pytest.fixture
def run_dir(tmp_path: Path) -> Iterator[Path]:
    """A run directory of its own; whatever a test leaves running in it is killed afterwards."""
    folder = tmp_path / "run"
    folder.mkdir()
    yield folder
    kill_all(processes_of(folder))


@pytest.fixture
def port() -> int:
    return free_port()


def stcomp(
    *args: str,
    cwd: Path,
    run_dir: Path,
    timeout: float = 120,
    env: dict[str, str] | None = None,
    python: Path | str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in its own process (with ``python``: another install)."""
    full_env = dict(os.environ, STCOMP_RUN_DIR=str(run_dir), COLUMNS="200", **(env or {}))
    full_env.pop("STCOMP_WORKSPACE", None)
    return subprocess.run(
        [str(python or sys.executable), "-m", "stcomp", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def running_stack(
    stack: str,
    run_dir: Path,
    *,
    ports: list[str],
    release: bool = False,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> Iterator[dict[str, int]]:
    """`stcomp up STACK -d` on free ports in its own run directory; `stcomp down` afterwards,
    then a check that no process of that run is left (killed and reported if one is)."""
    chosen = dict(zip(ports, free_ports(len(ports)), strict=True))
    args = ["up", stack, "-d", *(f"--port={name}={number}" for name, number in chosen.items())]
    if release:
        args.append("--release")
    quiet = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", **(env or {})}
    up = stcomp(*args, cwd=REPO, run_dir=run_dir, env=quiet, timeout=timeout)
    try:
        assert up.returncode == 0, f"stcomp up {stack} failed:\n{up.stdout}\n{up.stderr}"
        yield chosen
    finally:
        down = stcomp("down", stack, cwd=REPO, run_dir=run_dir)
        leftovers = processes_of(run_dir)
        kill_all(leftovers)
        assert down.returncode == 0, down.stdout + down.stderr
        assert leftovers == [], f"left running after down: {leftovers}"

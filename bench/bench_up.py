"""Orchestration overhead, teardown time, CLI start-up and supervisor memory, side by side.

Run: .venv/bin/python bench/bench_up.py [--runs N]

Prints figures (medians over N runs) and each against its budget; it asserts nothing.
  1. the zero stack's Streamlit, started by hand, from launch to /_stcore/health == ok;
  2. `stcomp up zero -d` from the command's start to its exit (all ready), and the
     supervisor's own launch-to-ready time for the same service;
  3. `stcomp down` from the command's start to its exit, and whether anything survived;
  4. `stcomp --help` wall time;
  5. the detached supervisor's resident memory.
Every run uses a free port and a temporary run directory: a running dev stack is untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "cli"))

from stcomp.config import load_workspace  # noqa: E402
from stcomp.ports import free_port, is_taken  # noqa: E402

STCOMP = [sys.executable, "-m", "stcomp"]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as r:
            return r.read() == b"ok"
    except OSError:
        return False


def env_for(port: int, run_dir: Path) -> dict[str, str]:
    return dict(
        os.environ,
        STREAMLIT_PORT=str(port),
        STCOMP_RUN_DIR=str(run_dir),
        PYTHONUNBUFFERED="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )


def own_cold_start(command: str, port: int, run_dir: Path) -> float:
    began = time.perf_counter()
    proc = subprocess.Popen(
        ["/bin/sh", "-c", command], cwd=REPO, env=env_for(port, run_dir),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        while not healthy(port):
            time.sleep(0.005)
        return time.perf_counter() - began
    finally:
        os.killpg(proc.pid, 15)
        proc.wait()
        while is_taken(port):
            time.sleep(0.01)


def timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.perf_counter()
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - began, done


def survivors(run_dir: Path) -> int:
    count = 0
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get("STCOMP_RUN_DIR") == str(run_dir):
                count += proc.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            continue
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    command = load_workspace(REPO).procfile["zero"]
    own, up, supervised, down, helps, memory, left = [], [], [], [], [], [], 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            run_dir = Path(tmp)
            port = free_port()
            env = env_for(port, run_dir)
            own.append(own_cold_start(command, port, run_dir))
            seconds, done = timed([*STCOMP, "up", "zero", "-d", "--port", f"streamlit={port}"], env)
            if done.returncode != 0:
                sys.exit(f"stcomp up failed: {done.stderr}")
            up.append(seconds)
            record = json.loads((run_dir / "zero" / "state.json").read_text())
            supervised.append(record["services"]["streamlit"]["ready_after"])
            memory.append(psutil.Process(record["supervisor_pid"]).memory_info().rss / 2**20)
            seconds, done = timed([*STCOMP, "down", "zero"], env)
            down.append(seconds)
            left += survivors(run_dir) + is_taken(port)
        seconds, _ = timed([*STCOMP, "--help"], dict(os.environ))
        helps.append(seconds)

    def med(values: list[float]) -> float:
        return statistics.median(values)

    base = med(own)
    rows = [
        ("Streamlit's own cold start to healthy", f"{base:.3f} s", "baseline"),
        ("supervisor: launch to ready noticed", f"{med(supervised):.3f} s",
         f"+{100 * (med(supervised) - base) / base:.1f}% (budget +10%)"),
        ("`stcomp up zero -d` wall time", f"{med(up):.3f} s",
         f"+{100 * (med(up) - base) / base:.1f}% incl. CLI start and exit"),
        ("`stcomp down zero` wall time", f"{med(down):.3f} s", "budget 1.5 s"),
        ("processes or ports left after down", str(left), "budget 0"),
        ("`stcomp --help` wall time", f"{1000 * med(helps):.0f} ms", "budget 150 ms"),
        ("detached supervisor memory (RSS)", f"{med(memory):.1f} MiB", ""),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"stcomp benchmark: {args.runs} runs, medians; {shlex.quote(sys.executable)}")
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    main()

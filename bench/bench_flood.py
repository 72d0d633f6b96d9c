"""A service that floods its output: what it costs the supervisor, and how fast Ctrl-C is.

Run: .venv/bin/python bench/bench_flood.py [--rounds 3] [--megabytes 100]

Each round starts `stcomp up` in the foreground (its live log relay on) with one service that
writes MEGABYTES of output as fast as it can, samples the supervisor's resident memory and CPU
while the flood goes on, sends SIGINT, and times the exit. Prints medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "cli"))

from stcomp.ports import free_port  # noqa: E402

SERVICE = f"exec {sys.executable} -m tests.integration.services.adversary flood $WEB_PORT {{mb}}"


def one_round(megabytes: int) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory(prefix="stcomp-flood-") as folder:
        ws = Path(folder)
        (ws / "stcomp.toml").write_text(
            '[ports]\nweb = 7300\n[stacks.flood]\n[stacks.flood.services.web]\nport = "web"\n'
        )
        (ws / "Procfile").write_text(f"web: {SERVICE.format(mb=megabytes)}\n")
        env = dict(os.environ, PYTHONPATH=str(REPO), STCOMP_RUN_DIR=str(ws / "run"))
        up = subprocess.Popen(
            [sys.executable, "-m", "stcomp", "up", "flood", "--port", f"web={free_port()}"],
            cwd=ws,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        log = ws / "run" / "flood" / "logs" / "web.log"
        while not (log.exists() and log.stat().st_size > 2**20):
            time.sleep(0.01)
        supervisor = psutil.Process(up.pid)
        began_cpu = sum(supervisor.cpu_times()[:2])
        began = time.monotonic()
        peak = 0
        while time.monotonic() - began < 2.0:
            peak = max(peak, supervisor.memory_info().rss)
            time.sleep(0.02)
        cpu = (sum(supervisor.cpu_times()[:2]) - began_cpu) / (time.monotonic() - began)
        sent = time.monotonic()
        up.send_signal(signal.SIGINT)
        up.wait(60)
        latency = time.monotonic() - sent
        size = sum(p.stat().st_size for p in log.parent.glob("web.log*"))
        return latency, peak / 2**20, 100 * cpu, size / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    rows = [one_round(args.megabytes) for _ in range(args.rounds)]
    latency, rss, cpu, logs = (statistics.median(c) for c in zip(*rows, strict=True))
    print(f"flood of {args.megabytes} MB, {args.rounds} rounds, medians:")
    print(f"  Ctrl-C to exit          {latency:6.2f} s   (goal: within the 1 s grace + 1 s)")
    print(f"  supervisor peak RSS     {rss:6.1f} MB")
    print(f"  supervisor CPU          {cpu:6.1f} %  (while the flood went on)")
    print(f"  log files on disk       {logs:6.1f} MB  (rotated at 10 MB: at most two files)")


if __name__ == "__main__":
    main()

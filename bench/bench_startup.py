"""Start-up and teardown of each reference stack, side by side in one run, interleaved.

Run: .venv/bin/python bench/bench_startup.py [--rounds 5] [--stacks zero hero auth0]

For each stack, each round runs, one after the other:
  hand     the stack's slowest service alone, its Procfile command started by hand, until its
           probe answers; then the others by hand, and SIGTERM to all: their own exit time
           (each round stops a different time after ready: PHASE_SPAN);
  stcomp   `stcomp up STACK -d` until it returns (every service ready), then `stcomp down`;
  honcho   `honcho start` of the same processes until the slowest service's probe answers.
Cold rounds delete the front end's dev cache first (.next, node_modules/.vite); warm rounds keep
what the previous round compiled. Every run uses free ports. stcomp keeps one run directory
per stack across rounds, as a developer's .stcomp is kept (the last start's timings order the
next one: scheduling.py), and its cache of the checked definition (config/cache.py) is the
user's; the other runners use a temporary folder each time.
Prints medians and the median of the per-round ratios against the goals of the start-up issue;
it asserts nothing (budgets live here, never in tests).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "cli"))

from stcomp import probes  # noqa: E402
from stcomp.config import load_workspace  # noqa: E402
from stcomp.plan import Plan, make_plan  # noqa: E402
from stcomp.ports import free_port  # noqa: E402

GOALS = {"zero": 1.20, "hero": 1.10, "auth0": 1.10}
DOWN_GOAL = 1.2
PHASE_SPAN = 1.0
"""Streamlit's exit after SIGTERM takes 0.29 to 0.45 s by when the signal comes in a cycle of
its own (measured by hand: 0.35 s right after ready, 0.29 s 60 ms later, 0.39 s 150 ms later,
0.45 s 300 ms later, 0.35 s 1 s later). Comparing single stops would compare phases, not
stcomp: so round k of n stops every runner k/n of this span after ready, and `down` is compared
with the services' own exit as means over the rounds."""
STCOMP = [str(REPO / ".venv" / "bin" / "stcomp")]  # the console script, as users run it


def fresh_plan(stack: str, run_dir: Path) -> Plan:
    workspace = load_workspace(REPO, run_dir=run_dir)
    ports = {key: free_port() for key in workspace.ports}
    env = dict(os.environ, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    return make_plan(workspace, stack, port_overrides=ports, base_env=env)


def slowest(plan: Plan) -> str:
    """The service to compare with: the front-end dev server if there is one, else Streamlit."""
    names = list(plan.stack.services)
    return "component" if "component" in names else names[-1]


def wait_probe(plan: Plan, service: str, timeout: float = 120.0) -> None:
    svc, port = plan.stack.services[service], plan.port_of(service)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (port is None or probes.tcp_open(port)) and probes.check(svc.probe, port, timeout=60):
            return
        time.sleep(0.002)
    raise RuntimeError(f"{service} never answered")


def wait_gone(pid: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)


def start_by_hand(plan: Plan, name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["/bin/sh", "-c", plan.stack.services[name].command],
        cwd=REPO,
        env=plan.env_for(name),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def by_hand(stack: str, run_dir: Path, settle: float = 0.0) -> tuple[float, float]:
    """(the slowest service alone: start to ready; every service: SIGTERM to all exited, sent
    ``settle`` seconds after all are ready)."""
    plan = fresh_plan(stack, run_dir)
    name = slowest(plan)
    began = time.perf_counter()
    proc = start_by_hand(plan, name)
    wait_probe(plan, name)
    ready = time.perf_counter() - began
    others = [start_by_hand(plan, n) for n in plan.stack.services if n != name]
    for other in plan.stack.services:
        wait_probe(plan, other)
    everyone = [proc, *others]
    time.sleep(settle)
    began = time.perf_counter()
    for each in everyone:
        os.killpg(each.pid, signal.SIGTERM)
    for each in everyone:
        each.wait()
        wait_gone(each.pid)
    return ready, time.perf_counter() - began


def with_stcomp(stack: str, run_dir: Path, settle: float = 0.0) -> tuple[float, float]:
    plan = fresh_plan(stack, run_dir)
    ports = [f"--port={key}={number}" for key, number in plan.ports.items()]
    env = dict(os.environ, STCOMP_RUN_DIR=str(run_dir), STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    began = time.perf_counter()
    up = subprocess.run(
        [*STCOMP, "up", stack, "-d", *ports], cwd=REPO, env=env, capture_output=True
    )
    ready = time.perf_counter() - began
    if up.returncode != 0:
        raise RuntimeError(up.stderr.decode())
    time.sleep(settle)
    began = time.perf_counter()
    down = subprocess.run([*STCOMP, "down", stack], cwd=REPO, env=env, capture_output=True)
    stopped = time.perf_counter() - began
    if down.returncode != 0:
        raise RuntimeError(down.stdout.decode() + down.stderr.decode())
    return ready, stopped


def with_honcho(stack: str, run_dir: Path, settle: float = 0.0) -> tuple[float, float]:
    plan = fresh_plan(stack, run_dir)
    names = [svc.process for svc in plan.stack.services.values()]
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", *names],
        cwd=REPO,
        env=plan.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for name in plan.stack.services:
        wait_probe(plan, name)
    ready = time.perf_counter() - began
    time.sleep(settle)
    began = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    return ready, time.perf_counter() - began


def clear_cache(plan_stack: str) -> None:
    workspace = load_workspace(REPO)
    folder = workspace.stack(plan_stack).frontend
    if folder:
        for cache in (".next", "node_modules/.vite"):
            shutil.rmtree(REPO / folder / cache, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run(stack: str, rounds: int, cold: bool, kept: Path) -> dict[str, list[tuple[float, float]]]:
    """``kept``: stcomp's run directory for this stack, kept across rounds as a developer's
    .stcomp is (its timings.json orders the next start: scheduling.py)."""
    runners: dict[str, Callable[[str, Path, float], tuple[float, float]]] = {
        "hand": by_hand,
        "stcomp": with_stcomp,
        "honcho": with_honcho,
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in runners}
    for index in range(rounds):
        settle = PHASE_SPAN * index / rounds  # the same for every runner of this round
        for name, runner in runners.items():
            if cold:
                clear_cache(stack)
            if name == "stcomp":
                results[name].append(runner(stack, kept, settle))
                continue
            with tempfile.TemporaryDirectory(prefix="stcomp-bench-") as folder:
                results[name].append(runner(stack, Path(folder), settle))
    return results


def report(stack: str, kind: str, results: dict[str, list[tuple[float, float]]]) -> None:
    hand = [r[0] for r in results["hand"]]
    ours = [r[0] for r in results["stcomp"]]
    honcho = [r[0] for r in results["honcho"]]
    ratios = [o / h for o, h in zip(ours, hand, strict=True)]
    down = [r[1] for r in results["stcomp"]]
    own_exit = [r[1] for r in results["hand"]]
    down_ratio = statistics.fmean(down) / statistics.fmean(own_exit)
    goal = GOALS[stack]
    verdict = "met" if median(ratios) <= goal else "NOT met"
    down_verdict = "met" if down_ratio <= DOWN_GOAL else "NOT met"
    print(
        f"{stack:6} {kind:4}  slowest alone {median(hand):6.2f} s   stcomp up -d"
        f" {median(ours):6.2f} s   honcho {median(honcho):6.2f} s   up/alone"
        f" {median(ratios):5.2f} (goal <= {goal:.2f}: {verdict})"
    )
    print(
        f"{'':11}  own exit      {statistics.fmean(own_exit):6.2f} s   stcomp down "
        f" {statistics.fmean(down):6.2f} s   down/exit {down_ratio:5.2f} (means over the stop"
        f" times; goal <= {DOWN_GOAL:.2f}: {down_verdict})"
    )


def help_time(rounds: int) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        subprocess.run([REPO / ".venv/bin/stcomp", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - began)
    return median(times)


def compile_stcomp() -> None:
    """Byte-compile stcomp as an installed wheel is. Its editable install is compiled on first
    import only where $PYTHONDONTWRITEBYTECODE is unset (it is set on these machines), while
    Streamlit, Flask and honcho were compiled by pip: without this, every stcomp run here would
    compile its own modules from source, which no user's run does."""
    import compileall
    import re

    # not the scaffold templates: they are cookiecutter sources, copied as they are
    compileall.compile_dir(REPO / "cli" / "stcomp", quiet=2, rx=re.compile(r"[/\\]templates[/\\]"))


def main() -> None:
    compile_stcomp()
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stacks", nargs="*", default=["zero", "hero", "auth0"])
    args = parser.parse_args()
    print(f"{args.rounds} rounds each, interleaved hand / stcomp / honcho; medians")
    for stack in args.stacks:
        kinds = ["cold", "warm"] if load_workspace(REPO).stack(stack).frontend else ["warm"]
        with tempfile.TemporaryDirectory(prefix=f"stcomp-bench-{stack}-") as kept:
            for kind in kinds:
                report(stack, kind, run(stack, args.rounds, kind == "cold", Path(kept)))
    print(f"stcomp --help {help_time(args.rounds):.3f} s (goal <= 0.15 s)")


if __name__ == "__main__":
    main()

"""Starting and stopping a stack (``stcomp up``, ``stcomp down``) as plain functions: the typer
commands call them, and so does ``fastpath`` for the plain spellings, without typer.

Both are ordered for speed: the services start (or stop) before rich and the views are
imported.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

TYPE_CHECKING = False  # typing itself (about 2.5 ms) stays off the way to down's stop request
if TYPE_CHECKING:
    from typing import Any

    from .rundir import RunDir


def announce(message: str) -> Any:
    """A spinner with ``message`` while a slow step (npm ci) runs; elsewhere than on a
    terminal, one line saying it."""
    from contextlib import nullcontext

    from .view import console

    if console.is_terminal:
        return console.status(message)
    console.print(f"{message} …")
    return nullcontext()


def start(
    stack: str, *, detach: bool, release: bool, ports: list[str], run_dir: Path | None
) -> None:
    """``stcomp up``: raises StcompError (its exit code) when the stack cannot start."""
    from .config import load_workspace
    from .plan import make_plan, parse_port_overrides, privileged_ports
    from .runner import preflight

    began = time.monotonic()
    workspace = load_workspace(run_dir=run_dir)
    plan = make_plan(
        workspace,
        stack,
        release=release,
        port_overrides=parse_port_overrides(ports, workspace.ports),
    )
    for warning in privileged_ports(plan):
        print(f"warning: {warning}", file=sys.stderr)
    locks = preflight(plan, on_install=announce)  # held while the stack runs
    if detach:
        _up_detached(plan, locks, began)
    else:
        _up_attached(plan, began)


def stop(stack: str | None, run_dir: Path | None) -> int:
    """``stcomp down``: its exit code (1 when something survived or a port stayed taken).

    Every running supervisor is asked to stop (control.py) before anything else is imported
    or looked at, even the definition when the run directory is known without it: the rest
    (the definition, psutil, rich, the report) overlaps with the services' own exit."""
    from .control import ask_to_stop
    from .rundir import RUN_DIR_ENV

    began = time.monotonic()
    recorded: dict[str, bytes] = {}  # each stack's state file, read before it was asked
    asked: set[str] = set()  # asked through the FIFO

    def ask(where: RunDir, names: list[str]) -> None:
        for name in names:
            try:
                recorded[name] = where.state_file(name).read_bytes()
            except OSError:
                continue  # nothing recorded (or unreadable: teardown says so)
            if ask_to_stop(where, name):
                asked.add(name)

    early = _run_dir_early(run_dir or os.environ.get(RUN_DIR_ENV))
    stacks = None if early is None else [stack] if stack else early.recorded_stacks()
    if early is not None and stacks:
        ask(early, stacks)
    from .config import load_workspace

    workspace = load_workspace(run_dir=run_dir)
    if stack and stack not in asked:
        workspace.stack(stack)  # an unknown name is an error, unless it was running
    if stacks is None:
        stacks = [stack] if stack else workspace.run_dir.recorded_stacks()
        ask(workspace.run_dir, stacks)
    from .teardown import begin_stop, finish_stop

    stopping = {
        name: begin_stop(
            workspace.run_dir,
            name,
            asked=name in asked,
            recorded=recorded.get(name),
            began=began,
        )
        for name in stacks
    }
    from .view import console, print_down

    if not stacks:
        console.print("nothing is running")
    failed = False
    for name, begun in stopping.items():
        if begun is None:
            console.print(f"stack [bold]{name}[/] is not running")
            continue
        report = finish_stop(begun)
        print_down(report)
        failed = failed or bool(report.survivors or report.busy_ports)
    return 1 if failed else 0


def _run_dir_early(explicit: str | Path | None) -> RunDir | None:
    """The run directory, where it is known without reading the definition: given, or named
    by the definition's cache entry (config/cache.py)."""
    from .config import cache, locate
    from .rundir import RunDir

    if explicit:
        return RunDir(Path(explicit).resolve())
    config = locate.find_config(locate.start_folder())
    found = cache.run_dir(config) if config else None
    return RunDir(found) if found else None


def _up_detached(plan: Any, locks: Any, began: float) -> None:
    """Fork the supervisor, show progress until every service is ready, return."""

    from .detach import spawn_detached, wait_detached

    daemon = spawn_detached(plan, locks)  # before importing rich: the services start sooner
    from .view import Progress, console, print_ready

    with Progress() as progress:
        record = wait_detached(plan, daemon, on_change=progress.update)
    print_ready(record, time.monotonic() - began, _open_url(plan))
    console.print(f"[dim]supervisor pid {daemon.pid}; 'stcomp down {plan.stack.name}' stops it[/]")


def _up_attached(plan: Any, began: float) -> None:
    """Supervise in this process: the live view until ready, then the prefixed logs."""

    from .runner import prelaunch, run_attached
    from .scheduling import slowest

    early = prelaunch(plan, first=slowest(plan))  # before the views are imported
    from .logs import Follower
    from .view import Progress, console, print_ready

    follower = Follower({n: plan.run_dir.log(plan.stack.name, n) for n in plan.stack.services})
    progress = Progress()
    progress.__enter__()

    def pump() -> None:
        for service, line in follower.poll():
            progress.log(service, line)

    def ready(record: Any) -> None:
        progress.close()
        print_ready(record, time.monotonic() - began, _open_url(plan))
        console.print("[dim]Ctrl-C stops everything[/]")

    try:
        run_attached(
            plan,
            on_change=progress.update,
            on_tick=pump,
            on_ready=ready,
            on_leftovers=lambda found: console.print(
                f"[red]after teardown:[/] {'; '.join(found)} — see 'stcomp status'"
            ),
            prelaunched=early,
        )
    finally:
        progress.close()


def _open_url(plan: Any) -> str | None:
    return plan.url_of(plan.stack.open) if plan.stack.open else None

"""The stcomp command line. Each command is thin: the work lives in the modules it calls.

Exit codes: 0 ok, 1 failed, 2 usage or configuration error (nothing started), 130 interrupted.
Heavy modules are imported inside the commands so that ``stcomp --help`` starts fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__
from .errors import EXIT_INTERRUPTED, StcompError

app = typer.Typer(
    name="stcomp",
    help="Run, check and scaffold Streamlit custom components and the services around them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

RunDir = Annotated[
    Path | None,
    typer.Option(
        "--run-dir",
        help="Run directory for state and logs [default: $STCOMP_RUN_DIR, else the"
        " workspace's run_dir, .stcomp].",
    ),
]
Ports = Annotated[
    list[str] | None,
    typer.Option("--port", "-p", help="Override a port for this run, NAME=NUMBER (repeatable)."),
]


def handles_errors(fn: F) -> F:
    """Print StcompError as one line (plus a failed service's log tail) and exit its code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except StcompError as exc:
            from .view import print_error

            print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stcomp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Run, check and scaffold Streamlit custom components and the services around them."""


def _announce(message: str) -> Any:
    """A spinner with ``message`` while a slow step (npm ci) runs."""
    from .view import console

    return console.status(message)


def _workspace(run_dir: Path | None) -> Any:
    from .config import load_workspace

    return load_workspace(run_dir=run_dir)


@app.command()
@handles_errors
def up(
    stack: Annotated[str, typer.Argument(help="The stack to run (see 'stcomp list').")],
    detach: Annotated[
        bool, typer.Option("--detach", "-d", help="Return once all are ready; keep running.")
    ] = False,
    release: Annotated[
        bool, typer.Option("--release", help="Serve components from their release build.")
    ] = False,
    port: Ports = None,
    run_dir: RunDir = None,
) -> None:
    """Start a stack's services in order, each ready before the next needs it."""
    import time

    from .plan import make_plan, parse_port_overrides
    from .runner import preflight, run_attached, spawn_detached, wait_detached

    began = time.monotonic()
    workspace = _workspace(run_dir)
    plan = make_plan(
        workspace,
        stack,
        release=release,
        port_overrides=parse_port_overrides(port or [], workspace.ports),
    )
    preflight(plan, on_install=_announce)
    open_url = plan.url_of(plan.stack.open) if plan.stack.open else None
    if detach:
        daemon = spawn_detached(plan)  # before importing rich: the services start sooner
        from .view import Progress, console, print_ready

        with Progress() as progress:
            record = wait_detached(plan, daemon, on_change=progress.update)
        print_ready(record, time.monotonic() - began, open_url)
        console.print(f"[dim]supervisor pid {daemon.pid}; 'stcomp down {stack}' stops it[/]")
        return

    from .logs import Follower
    from .view import Progress, console, print_ready

    follower = Follower({name: plan.run_dir.log(stack, name) for name in plan.stack.services})
    progress = Progress()
    progress.__enter__()

    def pump() -> None:
        for service, line in follower.poll():
            progress.log(service, line)

    def ready(record: Any) -> None:
        progress.close()
        print_ready(record, time.monotonic() - began, open_url)
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
        )
    finally:
        progress.close()


@app.command()
@handles_errors
def down(
    stack: Annotated[
        str | None, typer.Argument(help="The stack to stop [default: every running one].")
    ] = None,
    run_dir: RunDir = None,
) -> None:
    """Stop a stack: every process group it started, even if its supervisor was killed."""
    from .teardown import stop_recorded
    from .view import console, print_down

    workspace = _workspace(run_dir)
    if stack:
        workspace.stack(stack)
    stacks = [stack] if stack else workspace.run_dir.recorded_stacks()
    if not stacks:
        console.print("nothing is running")
        return
    failed = False
    for name in stacks:
        report = stop_recorded(workspace.run_dir, name)
        if report is None:
            console.print(f"stack [bold]{name}[/] is not running")
            continue
        print_down(report)
        failed = failed or bool(report.survivors or report.busy_ports)
    if failed:
        raise typer.Exit(1)


@app.command()
@handles_errors
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    run_dir: RunDir = None,
) -> None:
    """What runs: service, pid, port, state, uptime, CPU, memory, URL."""
    import json

    from .status import collect
    from .view import console, status_table

    rows = collect(_workspace(run_dir).run_dir)
    if as_json:
        typer.echo(json.dumps([r.to_json() for r in rows], indent=2))
    elif rows:
        console.print(status_table(rows))
    else:
        console.print("nothing is running")


@app.command()
@handles_errors
def logs(
    stack: Annotated[
        str | None, typer.Argument(help="The stack [default: the running one].")
    ] = None,
    service: Annotated[str | None, typer.Argument(help="One service [default: all].")] = None,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new lines.")
    ] = False,
    lines: Annotated[int, typer.Option("--lines", "-n", help="Lines to show from each.")] = 50,
    run_dir: RunDir = None,
) -> None:
    """Show services' logs, prefixed and coloured per service."""
    import threading

    from . import logs as service_logs
    from .runner import stop_on_signals
    from .view import console, print_log_line

    workspace = _workspace(run_dir)
    stack, paths = service_logs.select(workspace, stack, service)
    order = list(workspace.stack(stack).services)
    colours = {n: service_logs.colour_for(order.index(n)) for n in paths}

    def emit(name: str, text: str) -> None:
        print_log_line(console, name, text, colours[name])

    for name, path in paths.items():
        for text in service_logs.tail(path, lines):
            emit(name, text)
    if follow:
        stop = threading.Event()
        with stop_on_signals(stop):
            service_logs.follow(paths, emit, stop)


@app.command("list")
@handles_errors
def list_stacks(run_dir: RunDir = None) -> None:
    """The stacks of this workspace, their services and ports."""
    from .view import console, stacks_table

    console.print(stacks_table(_workspace(run_dir)))


@app.command()
@handles_errors
def build(
    stack: Annotated[str, typer.Argument(help="The stack whose component to build.")],
    run_dir: RunDir = None,
) -> None:
    """Build a stack's component for release (then: stcomp up STACK --release)."""
    import time

    from .frontend import build as build_frontend
    from .plan import make_plan
    from .view import console

    began = time.monotonic()
    plan = make_plan(_workspace(run_dir), stack, release=True)
    from .frontend import install_missing

    install_missing(plan, _announce)
    with console.status(f"building {stack}…"):
        output = build_frontend(plan)
    console.print(
        f"[green]✓[/] built [bold]{stack}[/] in {time.monotonic() - began:.1f} s → {output}"
        f"\n  next: stcomp up {stack} --release"
    )


@app.command()
@handles_errors
def check(
    stacks: Annotated[
        list[str] | None, typer.Argument(help="Stacks to check [default: all].")
    ] = None,
    browser: Annotated[
        bool, typer.Option("--browser", help="Also a headless Chromium round trip.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
    junit: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Start-up timeout per stack, seconds.")
    ] = None,
    release: Annotated[bool, typer.Option("--release", help="Check release mode.")] = False,
) -> None:
    """Bring stacks up on free ports, check them, tear them down. Exit 1 if any check fails."""
    import threading

    from .check import StackChecker
    from .errors import Interrupted
    from .reports import to_json, write_junit
    from .runner import stop_on_signals
    from .view import check_table, console, print_check

    workspace = _workspace(None)
    names = stacks or list(workspace.stacks)
    for name in names:
        workspace.stack(name)
    stop = threading.Event()
    reports = []
    with stop_on_signals(stop):
        for name in names:
            if not as_json:
                console.print(f"[bold]checking {name}[/] …")
            checker = StackChecker(
                workspace,
                name,
                browser=browser,
                timeout=timeout,
                release=release,
                stop=stop,
                on_result=(lambda r: None) if as_json else print_check,
            )
            reports.append(checker.run())
            if stop.is_set():
                raise Interrupted()
    if junit is not None:
        write_junit(reports, junit)
    if as_json:
        typer.echo(to_json(reports))
    else:
        console.print(check_table(reports))
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


@app.command()
@handles_errors
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Is this machine ready? Python, Node, npm, front ends, ports, Chromium, Auth0 settings."""
    import json
    from dataclasses import asdict

    from .doctor import diagnose
    from .view import doctor_table

    findings = diagnose(_workspace(None))
    if as_json:
        typer.echo(json.dumps([asdict(f) for f in findings], indent=2))
    else:
        doctor_table(findings)
    if any(f.needed and not f.ok for f in findings):
        raise typer.Exit(1)


@app.command()
@handles_errors
def scaffold(
    name: Annotated[str, typer.Argument(help="Component name: a Python identifier.")],
    template: Annotated[
        str, typer.Option("--template", "-t", help="html, next, vite, or a template folder.")
    ] = "html",
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to create it [default: the workspace].")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be made.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing target.")] = False,
) -> None:
    """Create a new component that runs, builds and passes its tests as generated."""
    from .scaffold import scaffold as make
    from .view import console

    result = make(name, template=template, dest=directory, dry_run=dry_run, force=force)
    verb = "would create" if dry_run else "created"
    console.print(f"[green]✓[/] {verb} component [bold]{name}[/] ({result.template} template):")
    for path in result.created:
        console.print(f"  {path}" + (" [dim](updated)[/]" if path in result.updated else ""))
    if result.next_steps:
        console.print("next:")
        for step in result.next_steps:
            console.print(f"  {step}")


@app.command()
@handles_errors
def export(
    stack: Annotated[str, typer.Argument(help="The stack to export, in release mode.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="compose, systemd or supervisord.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="[default: deploy/STACK/FORMAT].")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
    run_dir: RunDir = None,
) -> None:
    """Hand a stack to a production engine: Compose (and Dockerfiles), systemd, supervisord."""
    from .export import export as export_stack
    from .view import console

    result = export_stack(_workspace(run_dir), stack, fmt, out, force=force)
    console.print(f"[green]✓[/] exported [bold]{stack}[/] ({fmt}) to {result.out}:")
    for path in result.files:
        console.print(f"  {path.relative_to(result.out)}")
    console.print(f"next: {result.next_step}")


@app.command()
@handles_errors
def schema() -> None:
    """Print the JSON Schema of stcomp.toml and [tool.stcomp], for editors."""
    import json

    from .config.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)

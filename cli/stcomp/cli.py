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
from .scaffold.templates import DEFAULT_TEMPLATE, template_help

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
        metavar="PATH",
        help="Run directory for state and logs [default: $STCOMP_RUN_DIR, else the"
        " workspace's run_dir, .stcomp].",
    ),
]
Ports = Annotated[
    list[str] | None,
    typer.Option(
        "--port",
        "-p",
        metavar="NAME=NUMBER",
        help="Override a port for this run (repeatable).",
    ),
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


def _workspace(run_dir: Path | None) -> Any:
    from .config import load_workspace

    return load_workspace(run_dir=run_dir)


@app.command()
@handles_errors
def up(
    stack: Annotated[
        str, typer.Argument(metavar="STACK", help="The stack to run (see 'stcomp list').")
    ],
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
    from .startstop import start

    start(stack, detach=detach, release=release, ports=port or [], run_dir=run_dir)


@app.command()
@handles_errors
def down(
    stack: Annotated[
        str | None,
        typer.Argument(metavar="STACK", help="The stack to stop [default: every running one]."),
    ] = None,
    run_dir: RunDir = None,
) -> None:
    """Stop a stack: every process group it started, even if its supervisor was killed."""
    from .startstop import stop

    code = stop(stack, run_dir)
    if code:
        raise typer.Exit(code)


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
        str | None, typer.Argument(metavar="STACK", help="The stack [default: the running one].")
    ] = None,
    service: Annotated[
        str | None, typer.Argument(metavar="SERVICE", help="One service [default: all].")
    ] = None,
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

    def emit(name: str, line: service_logs.Line) -> None:
        print_log_line(console, name, line, colours[name])

    for name, path in paths.items():
        for line in service_logs.tail(path, lines):
            emit(name, line)
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
    stack: Annotated[
        str, typer.Argument(metavar="STACK", help="The stack whose component to build.")
    ],
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
    from .startstop import announce

    install_missing(plan, announce)
    with console.status(f"building {stack}…"):
        output = build_frontend(plan)
    console.print(
        f"[green]✓[/] built [bold]{stack}[/] in {time.monotonic() - began:.1f} s → {output}"
        f"\n  next: stcomp up {stack} --release"
    )


@app.command()
@handles_errors
def package(
    stack: Annotated[
        str, typer.Argument(metavar="STACK", help="The stack whose component to package.")
    ],
    smoke: Annotated[
        bool,
        typer.Option(
            "--smoke/--no-smoke",
            help="Install the wheel into a fresh virtual environment and render it in a browser.",
        ),
    ] = True,
    source_maps: Annotated[
        bool, typer.Option("--source-maps", help="Allow source maps in the wheel.")
    ] = False,
    run_dir: RunDir = None,
) -> None:
    """Build a component's wheel and sdist, check them, smoke-test the wheel; into dist/."""
    import time

    from .package import package as make_package
    from .plan import make_plan
    from .startstop import announce
    from .view import console

    began = time.monotonic()
    plan = make_plan(_workspace(run_dir), stack, release=True)
    made = make_package(plan, smoke=smoke, source_maps=source_maps, progress=announce)
    where = made.wheel.parent
    console.print(
        f"[green]✓[/] packaged [bold]{made.name} {made.version}[/] in"
        f" {time.monotonic() - began:.1f} s: {made.files} files in the wheel"
        f"\n  {made.wheel}\n  {made.sdist}"
        + (f"\n  smoke check: {made.smoke}" if made.smoke else "")
        + "\n  to publish (nothing was uploaded):"
        f"\n    python -m twine upload {where}/{made.wheel.name} {where}/{made.sdist.name}"
        f"\n    or: uv publish {where}/{made.wheel.name} {where}/{made.sdist.name}"
    )


@app.command()
@handles_errors
def check(
    stacks: Annotated[
        list[str] | None, typer.Argument(metavar="STACK...", help="Stacks to check [default: all].")
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
    """Is this machine ready? Python, Node, npm, Chromium; in a workspace also what its stacks
    need: front ends, ports, declared settings."""
    import json
    from dataclasses import asdict

    from .doctor import diagnose
    from .errors import ConfigError
    from .view import doctor_table

    try:
        workspace = _workspace(None)
    except ConfigError as exc:
        if not exc.message.startswith("no stcomp workspace"):
            raise
        workspace = None  # the machine alone
    findings = diagnose(workspace)
    if as_json:
        typer.echo(json.dumps([asdict(f) for f in findings], indent=2))
    else:
        doctor_table(findings)
    if any(f.needed and not f.ok for f in findings):
        raise typer.Exit(1)


@app.command()
@handles_errors
def scaffold(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Component name: a Python identifier.")
    ],
    template: Annotated[
        str, typer.Option("--template", "-t", help=template_help())
    ] = DEFAULT_TEMPLATE,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to create it [default: the workspace].")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be made.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing target.")] = False,
) -> None:
    """Create a new component that runs, builds and passes its tests as generated."""
    from rich.markup import escape

    from .scaffold import scaffold as make
    from .view import console

    result = make(name, template=template, dest=directory, dry_run=dry_run, force=force)
    verb = "would create" if dry_run else "created"
    console.print(f"[green]✓[/] {verb} component [bold]{name}[/] ({result.template} template):")
    for path in result.created:
        console.print(f"  {path}" + (" [dim](updated)[/]" if path in result.updated else ""))
    if result.replaced is not None:
        console.print(f"[yellow]the folder it replaced was kept:[/] {escape(str(result.replaced))}")
    if result.next_steps:
        console.print("next:")
        for step in result.next_steps:
            console.print(f"  {escape(step)}", soft_wrap=True)


@app.command()
@handles_errors
def export(
    stack: Annotated[
        str, typer.Argument(metavar="STACK", help="The stack to export, in release mode.")
    ],
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="compose, systemd or supervisord."),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="DIR", help="[default: deploy/STACK/FORMAT]."),
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
        command = typer.main.get_command(app)
        _plain_metavars(command)
        command(prog_name="stcomp")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)


def _plain_metavars(command: Any) -> None:
    """Usage lines as users expect them, ``stcomp up STACK``: typer writes a required argument
    as ``{STACK}`` and offers no setting for it, so its arguments' metavars are set here."""
    for sub in getattr(command, "commands", {}).values():
        for param in sub.params:
            if param.param_type_name == "argument" and param.metavar:
                shown = param.metavar if param.required else f"[{param.metavar}]"
                param.make_metavar = lambda *args, _shown=shown, **kwargs: _shown

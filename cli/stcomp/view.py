"""What the user sees: start-up progress, prefixed log lines, tables and failures (rich)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from .errors import ServiceFailed, StcompError
from .logs import Line, colour_for
from .ports import holder
from .state import RunRecord, ServiceRecord, ServiceState

STATE_STYLE = {
    ServiceState.PENDING: "dim",
    ServiceState.STARTING: "yellow",
    ServiceState.READY: "green",
    ServiceState.FAILED: "red",
    ServiceState.EXITED: "red",
    ServiceState.STOPPED: "dim",
    ServiceState.DEAD: "red",
    ServiceState.UNHEALTHY: "red",
    ServiceState.RESTARTING: "yellow",
}

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def print_error(exc: StcompError) -> None:
    """One line naming what was wrong and what to do; a failed service's last log lines."""
    line = f"[bold red]error:[/] {escape(exc.message)}"
    if exc.hint:
        line += f" [dim]—[/] {escape(exc.hint)}"
    errors.print(line, soft_wrap=True)
    if isinstance(exc, ServiceFailed) and exc.log_tail:
        errors.print(f"[dim]last {len(exc.log_tail)} log lines of {exc.service}:[/]")
        for text in exc.log_tail:
            errors.print(f"  [dim]│[/] {escape(text)}", soft_wrap=True)
    for text in getattr(exc, "details", []):  # more of the same kind (a wheel's problems)
        errors.print(f"  [dim]│[/] {escape(text)}", soft_wrap=True)


class _Elapsed:
    """'starting (1.3 s)', computed each time the live view redraws, so the clock runs."""

    def __init__(self, since: float) -> None:
        self.since = since

    def __rich__(self) -> Text:
        return Text(f"starting ({time.time() - self.since:.1f} s)", style="yellow")


def what_happened(svc: ServiceRecord) -> str:
    """The state and its reason, without saying the state twice ('exited with code 1')."""
    if not svc.error:
        return str(svc.state)
    return svc.error if svc.error.startswith(str(svc.state)) else f"{svc.state}: {svc.error}"


def _service_cell(svc: ServiceRecord, now: float) -> Any:
    if svc.state == ServiceState.STARTING:
        return Spinner("dots", _Elapsed(svc.started_at or now))
    if svc.state == ServiceState.READY:
        return Text(f"ready after {svc.ready_after or 0:.2f} s", style="green")
    return Text(what_happened(svc), style=STATE_STYLE.get(svc.state, ""))


def startup_table(record: RunRecord) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2))
    now = time.time()
    for index, svc in enumerate(record.services.values()):
        table.add_row(
            Text(svc.name, style=f"bold {colour_for(index)}"),
            _service_cell(svc, now),
            Text(svc.url or "", style="dim"),
            Text(f"pid {svc.pid}" if svc.pid else "", style="dim"),
        )
    return table


class Progress:
    """Start-up progress: a live table on a terminal, one line per change elsewhere."""

    def __init__(self, out: Console = console) -> None:
        self.out = out
        self.live: Live | None = None
        self.seen: dict[str, str] = {}
        self.record: RunRecord | None = None
        self.colours: dict[str, str] = {}

    def __enter__(self) -> Progress:
        if self.out.is_terminal:
            self.live = Live(console=self.out, refresh_per_second=10, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the live table; later changes are printed one line each."""
        if self.live is not None:
            if self.record is not None:
                self.live.update(startup_table(self.record))
                self.seen = {s.name: s.state for s in self.record.services.values()}
            self.live.__exit__(None, None, None)
            self.live = None

    def update(self, record: RunRecord) -> None:
        self.record = record
        self.colours = {name: colour_for(i) for i, name in enumerate(record.services)}
        if self.live is not None:
            self.live.update(startup_table(record))
            return
        for svc in record.services.values():
            if self.seen.get(svc.name) == svc.state:
                continue
            self.seen[svc.name] = svc.state
            if svc.state == ServiceState.PENDING:
                continue
            if svc.state == ServiceState.STARTING:
                text = f"starting, pid {svc.pid}"
            elif svc.state == ServiceState.READY:
                text = f"ready after {svc.ready_after or 0:.2f} s  {svc.url or ''}"
            else:
                text = what_happened(svc)
            style = STATE_STYLE.get(svc.state, "")
            colour = self.colours[svc.name]
            self.out.print(f"[bold {colour}]{svc.name}[/] [{style}]{escape(text)}[/]")

    def log(self, service: str, line: Line) -> None:
        print_log_line(self.out, service, line, self.colours.get(service, "white"))


def print_log_line(out: Console, service: str, line: Line, colour: str, width: int = 10) -> None:
    """A log line with the time it was written (its time of day) and its service."""
    stamp = line.time[11:19] if line.time else " " * 8
    out.print(
        f"[dim]{stamp}[/] [{colour}]{service:<{width}}|[/] {escape(line.text)}",
        soft_wrap=True,
    )


def print_ready(record: RunRecord, seconds: float, open_url: str | None) -> None:
    console.print(
        f"[bold green]✓[/] stack [bold]{record.stack}[/] ({record.mode}) ready in {seconds:.2f} s"
        + (f" — open [link={open_url}]{open_url}[/link]" if open_url else "")
    )


def rows_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
    *,
    optional: Sequence[str] = (),
    width: int | None = None,
) -> Table:
    """A table that never cuts a cell: on a narrow terminal the ``optional`` columns are
    dropped, first to last, until the others fit whole; what still does not fit wraps."""
    cells = [[r if isinstance(r, Text) else Text(str(r)) for r in row] for row in rows]
    shown = list(range(len(columns)))
    available = width or console.width
    for name in optional:
        if _needed(columns, cells, shown) <= available:
            break
        shown.remove(list(columns).index(name))
    whole = _needed(columns, cells, shown) <= available  # else the widest cells wrap
    table = Table(title=title, title_justify="left", header_style="bold")
    for index in shown:
        longest = max([len(columns[index]), *(c[index].cell_len for c in cells)])
        table.add_column(columns[index], min_width=longest if whole else None, overflow="fold")
    for row in cells:
        table.add_row(*(row[index] for index in shown))
    return table


def _needed(columns: Sequence[str], cells: list[list[Text]], shown: list[int]) -> int:
    """Width of the table with these columns, every cell on one line (borders and padding)."""
    widths = [max([len(columns[i]), *(c[i].cell_len for c in cells)]) for i in shown]
    return sum(widths) + 3 * len(widths) + 1


def status_table(rows: Sequence[Any], width: int | None = None) -> Table:
    """``stcomp status``: one row per recorded service."""
    return rows_table(
        ["stack", "service", "pid", "port", "state", "uptime", "CPU %", "memory MB", "URL"],
        [
            [
                r.stack,
                r.service,
                r.pid or "-",
                r.port or "-",
                r.state + (f" (restarted {r.restarts}x)" if r.restarts else ""),
                f"{r.uptime:.0f} s" if r.uptime is not None else "-",
                r.cpu_percent if r.cpu_percent is not None else "-",
                r.memory_mb if r.memory_mb is not None else "-",
                r.url or "-",
            ]
            for r in rows
        ],
        optional=["memory MB", "CPU %", "uptime", "pid", "port"],
        width=width,
    )


def stacks_table(workspace: Any, width: int | None = None) -> Table:
    """``stcomp list``: every stack's services, ports, probes and dependencies."""
    rows = [
        [
            stack.name,
            svc.name,
            svc.process,
            workspace.ports[svc.port] if svc.port else "-",
            str(svc.probe),
            ", ".join([*svc.needs, *(f"{u} (uses)" for u in svc.uses)]) or "-",
        ]
        for stack in workspace.stacks.values()
        for svc in stack.ordered()
    ]
    return rows_table(
        ["stack", "service", "Procfile", "port", "probe", "needs"],
        rows,
        title=f"stacks in {workspace.config_file}",
        optional=["Procfile", "needs"],
        width=width,
    )


def print_down(report: Any) -> None:
    """What ``stcomp down`` did for one stack."""
    what = ", ".join(report.stopped) or "nothing left running"
    console.print(f"[green]✓[/] stopped [bold]{report.stack}[/] ({what}) in {report.seconds:.2f} s")
    for stray in report.strays:
        console.print(f"  [yellow]also stopped[/] {escape(stray)}, which had left its group")
    if report.survivors:
        console.print(f"[red]processes survived SIGKILL:[/] {report.survivors}")
    for port in report.busy_ports:
        found = holder(port)
        who = found.describe() if found else f"port {port} was still taken a moment ago"
        console.print(f"[red]still taken:[/] {escape(who)}")


def print_check(result: Any) -> None:
    mark = "[dim]-[/]" if result.skipped else "[green]✓[/]" if result.ok else "[red]✗[/]"
    console.print(
        f"  {mark} {escape(result.name)} [dim]{result.seconds:.2f} s[/] {escape(result.detail)}",
        soft_wrap=True,
    )


def check_table(reports: Sequence[Any]) -> Table:
    rows = []
    for report in reports:
        failed = [r.name for r in report.results if not r.ok and not r.skipped]
        rows.append(
            [
                report.stack,
                report.mode,
                Text("pass", style="green") if report.ok else Text("FAIL", style="bold red"),
                str(len(report.results)),
                f"{report.seconds:.2f} s",
                ", ".join(failed) or "-",
            ]
        )
    return rows_table(["stack", "mode", "result", "checks", "time", "failed"], rows)


def doctor_table(findings: Sequence[Any]) -> None:
    for f in findings:
        mark = "[green]✓[/]" if f.ok else "[red]✗[/]" if f.needed else "[yellow]![/]"
        line = f"{mark} [bold]{escape(f.name)}[/]: {escape(f.detail)}"
        if not f.ok and f.fix:
            line += f" [dim]— fix: {escape(f.fix)}[/]"
        console.print(line, soft_wrap=True)

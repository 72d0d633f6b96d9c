"""Fakes for the supervisor: a clock that moves only when slept, processes that do nothing."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stcomp.config import parse_workspace
from stcomp.plan import Plan, make_plan
from stcomp.probes import Probe
from stcomp.process import Group


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeHandle:
    pid: int
    pgid: int
    create_time: float
    exit_code: int | None = None
    started_at: float = 0.0

    def poll(self) -> int | None:
        return self.exit_code

    def wait_log(self, timeout: float) -> None:
        pass


@dataclass
class FakeWorld:
    """Services become ready ``ready_after[name]`` fake seconds after launch (never if absent)."""

    clock: FakeClock
    ready_after: dict[str, float] = field(default_factory=dict)
    crash_at_start: dict[str, int] = field(default_factory=dict)
    launched: list[tuple[str, float]] = field(default_factory=list)
    stopped: list[list[int]] = field(default_factory=list)
    handles: dict[str, FakeHandle] = field(default_factory=dict)
    _pids: Any = field(default_factory=lambda: itertools.count(1000))
    _by_port: dict[int, str] = field(default_factory=dict)

    def launcher(
        self,
        command: str,
        *,
        cwd: Path,
        env: dict[str, str],
        log_path: Path,
        max_log_bytes: int = 0,
        own_session: bool = True,
    ) -> FakeHandle:
        name = log_path.stem
        pid = next(self._pids)
        handle = FakeHandle(pid, pid, 1.0, self.crash_at_start.get(name))
        self.handles[name] = handle
        self.launched.append((name, self.clock.now))
        return handle

    def prober(self, plan: Plan) -> Any:
        def probe(probe: Probe, port: int | None, *, timeout: float, since: float = 0.0) -> bool:
            name = next(n for n in plan.stack.services if plan.port_of(n) == port)
            start = dict(self.launched)[name]
            delay = self.ready_after.get(name)
            return delay is not None and self.clock.now >= start + delay

        return probe

    def stopper(self, batch: list[Group]) -> list[Any]:
        self.stopped.append([pgid for pgid, *_ in batch])
        return []

    def name_of(self, pgid: int) -> str:
        return next(n for n, h in self.handles.items() if h.pgid == pgid)


def write_workspace(folder: Path, toml: str, procfile: str) -> Path:
    (folder / "stcomp.toml").write_text(toml)
    (folder / "Procfile").write_text(procfile)
    return folder / "stcomp.toml"


CHAIN = """
[ports]
a = 7001
b = 7002
c = 7003
d = 7004

[stacks.chain]
timeout = 10
[stacks.chain.services.a]
port = "a"
[stacks.chain.services.b]
port = "b"
needs = ["a"]
[stacks.chain.services.c]
port = "c"
needs = ["a"]
[stacks.chain.services.d]
port = "d"
needs = ["b", "c"]
"""

CHAIN_PROCFILE = "a: run a\nb: run b\nc: run c\nd: run d\n"


def chain_plan(folder: Path) -> Plan:
    path = write_workspace(folder, CHAIN, CHAIN_PROCFILE)
    workspace = parse_workspace(path, run_dir=folder / "run")
    return make_plan(workspace, "chain", base_env={"PATH": "/usr/bin"})

"""The run directory: the one place that knows where each file of a run lives.

Layout::

    <run_dir>/secrets.env                   generated local development secrets (mode 0600)
    <run_dir>/<stack>/state.json            what runs: supervisor and services, pids, ports, states
    <run_dir>/<stack>/lock                  held by the stack's running `stcomp up` (flock)
    <run_dir>/<stack>/control               the running supervisor's control FIFO (control.py)
    <run_dir>/<stack>/timings.json          how long each service took at the last start
    <run_dir>/<stack>/supervisor.log        the detached supervisor's own output
    <run_dir>/<stack>/npm-ci.log            the last `npm ci` of the stack's front end
    <run_dir>/<stack>/build.log             the last release build
    <run_dir>/<stack>/logs/<service>.log    a service's stdout and stderr, written by the service
    <run_dir>/<stack>/data/<service>/       a service's own files ($STCOMP_DATA_DIR), kept

Nothing else builds a path under the run directory: services are handed theirs through the
environment (``STCOMP_RUN_DIR``, ``STCOMP_DATA_DIR``).
"""

from __future__ import annotations

from pathlib import Path

RUN_DIR_ENV = "STCOMP_RUN_DIR"
"""Environment variable naming the run directory (read by config, set for every service)."""
DATA_DIR_ENV = "STCOMP_DATA_DIR"
"""Environment variable naming a service's own data folder (set for every service)."""
RUN_ID_ENV = "STCOMP_RUN_ID"
"""Every service of a run carries the run's id in its environment (and so does all it starts)."""
RELAY_ENV = "STCOMP_RELAY_OF"
"""A service's log relay carries its run's id under this name instead, so that teardown, which
ends every process of the run, leaves the relay to finish the log by itself."""
DEFAULT_NAME = ".stcomp"
STATE_FILE = "state.json"


class RunDir:
    """A run directory. A plain class, not a dataclass: ``stcomp down`` needs it on its way to
    the stop request (control.py), before which nothing imports dataclasses (about 6 ms)."""

    __slots__ = ("root",)

    def __init__(self, root: Path) -> None:
        self.root = root

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunDir) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    def __repr__(self) -> str:
        return f"RunDir({self.root!r})"

    def stack(self, stack: str) -> Path:
        return self.root / stack

    def state_file(self, stack: str) -> Path:
        return self.stack(stack) / STATE_FILE

    def log(self, stack: str, service: str) -> Path:
        return self.stack(stack) / "logs" / f"{service}.log"

    def data(self, stack: str, service: str) -> Path:
        return self.stack(stack) / "data" / service

    def lock(self, stack: str) -> Path:
        return self.stack(stack) / "lock"

    def control(self, stack: str) -> Path:
        return self.stack(stack) / "control"

    def supervisor_log(self, stack: str) -> Path:
        return self.stack(stack) / "supervisor.log"

    def install_log(self, stack: str) -> Path:
        return self.stack(stack) / "npm-ci.log"

    def pip_log(self, stack: str) -> Path:
        return self.stack(stack) / "pip-install.log"

    def build_log(self, stack: str) -> Path:
        return self.stack(stack) / "build.log"

    def timings(self, stack: str) -> Path:
        """How long each service took to be ready at the stack's last start (scheduling.py)."""
        return self.stack(stack) / "timings.json"

    @property
    def secrets_file(self) -> Path:
        return self.root / "secrets.env"

    def recorded_stacks(self) -> list[str]:
        """Stacks that have a state file (running, or left behind by a killed supervisor)."""
        if not self.root.is_dir():
            return []
        return sorted(p.parent.name for p in self.root.glob(f"*/{STATE_FILE}"))

    def __str__(self) -> str:
        return str(self.root)

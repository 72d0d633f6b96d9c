"""The state of a run: what the supervisor started, as written to ``state.json``.

The state file outlives the supervisor, so ``status``, ``logs`` and ``down`` work from another
terminal and after the supervisor was killed. Written whole (``files.write_atomic``) and read
defensively: a damaged or foreign file is reported in one line, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from .errors import UsageError
from .files import write_atomic
from .rundir import RunDir

FORMAT = 2
"""Version of the state file's format; a file of another version is reported, not guessed at."""


class ServiceState(StrEnum):
    PENDING = "pending"  # waiting for the services it needs
    STARTING = "starting"  # launched, not ready yet
    READY = "ready"
    FAILED = "failed"  # never got ready in time, or its start-up was refused
    EXITED = "exited"  # its process ended
    UNHEALTHY = "unhealthy"  # was ready, stopped answering its probe
    RESTARTING = "restarting"  # ended, to be started again by its restart policy
    STOPPED = "stopped"  # stopped by stcomp
    DEAD = "dead"  # recorded as running, but no process is left (seen by status only)

    @property
    def live(self) -> bool:
        return self in (ServiceState.STARTING, ServiceState.READY, ServiceState.UNHEALTHY)

    @property
    def ended(self) -> bool:
        return self in (ServiceState.FAILED, ServiceState.EXITED, ServiceState.STOPPED)


class RunState(StrEnum):
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"
    STOPPING = "stopping"
    STOPPED = "stopped"


class StateDamaged(UsageError):
    """A state file that cannot be read as one of ours."""


@dataclass
class ServiceRecord:
    name: str
    process: str
    port: int | None
    url: str | None
    log: str
    needs: list[str] = field(default_factory=list)
    state: ServiceState = ServiceState.PENDING
    stop_signal: str = "SIGTERM"
    grace: float = 5.0
    pid: int | None = None
    pgid: int | None = None
    create_time: float | None = None
    started_at: float | None = None  # wall clock
    ready_after: float | None = None  # seconds from start to ready
    exit_code: int | None = None
    error: str | None = None
    restart: str = "no"  # the service's restart policy
    restarts: int = 0  # how often it was restarted in this run


@dataclass
class RunRecord:
    stack: str
    mode: str  # dev or release
    workspace: str
    supervisor_pid: int
    supervisor_create_time: float
    started_at: float
    state: RunState = RunState.STARTING
    error: str | None = None
    run_id: str = ""  # STCOMP_RUN_ID in every service's environment
    services: dict[str, ServiceRecord] = field(default_factory=dict)
    strays: list[str] = field(default_factory=list)
    """Processes of the run that had left their group when it stopped (they were stopped too);
    recorded for ``stcomp down`` when it asked for the stop (control.py)."""
    format: int = FORMAT

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> RunRecord:
        """Build a record from parsed JSON; ValueError or TypeError names what is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"expected an object, got {type(data).__name__}")
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        raw = dict(data)
        services = raw.pop("services", {})
        if not isinstance(services, dict):
            raise ValueError("'services' is not an object")
        record = cls(**_only(cls, raw), services={})
        record.state = RunState(record.state)
        for name, body in services.items():
            if not isinstance(body, dict):
                raise ValueError(f"service {name!r} is not an object")
            svc = ServiceRecord(**_only(ServiceRecord, body))
            svc.state = ServiceState(svc.state)
            record.services[name] = svc
        _check_types(record)
        return record


def _only(cls: type, body: dict[str, Any]) -> dict[str, Any]:
    known = {f.name for f in fields(cls)}
    extra = sorted(set(body) - known)
    if extra:
        raise ValueError(f"unknown key {extra[0]!r}")
    return body


def _check_types(record: RunRecord) -> None:
    numbers = (int, float)
    if not isinstance(record.supervisor_pid, int) or not isinstance(
        record.supervisor_create_time, numbers
    ):
        raise ValueError("the supervisor's pid or create time is not a number")
    for svc in record.services.values():
        for name in ("pid", "pgid"):
            value = getattr(svc, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"service {svc.name!r}: {name} is not a whole number")
        if svc.create_time is not None and not isinstance(svc.create_time, numbers):
            raise ValueError(f"service {svc.name!r}: create_time is not a number")


def save(run_dir: RunDir, record: RunRecord) -> None:
    write_atomic(run_dir.state_file(record.stack), json.dumps(record.to_json(), indent=2))


def load(run_dir: RunDir, stack: str, recorded: bytes | None = None) -> RunRecord | None:
    """The recorded run of ``stack``; None when there is none. A damaged file: StateDamaged.

    ``recorded``: the file's bytes, read earlier (``stcomp down`` reads them before it asks the
    supervisor to stop, which then removes the file)."""
    path = run_dir.state_file(stack)
    try:
        text = (path.read_bytes() if recorded is None else recorded).decode("utf-8")
        return RunRecord.from_json(json.loads(text))
    except FileNotFoundError:
        return None
    except (UnicodeDecodeError, ValueError, TypeError) as exc:
        raise StateDamaged(
            f"the state file {path} is damaged or not stcomp's ({_first_line(exc)})",
            hint="no process was signalled; check that nothing of the stack still runs"
            f" (ps, or the ports), then delete {path}",
        ) from None


def remove(run_dir: RunDir, stack: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        run_dir.state_file(stack).unlink()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__

"""The workspace: where the stack definitions, the Procfile and the run directory live.

Stacks are declared in ``[tool.stcomp]`` of ``pyproject.toml`` (or at the top level of a
``stcomp.toml``). Each stack names the services it runs; each service names its Procfile entry,
its port, its readiness probe, the services it needs, and how it is stopped.
"""

from __future__ import annotations

import os
import signal
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, UsageError
from .procfile import read_procfile

CONFIG_FILES = ("stcomp.toml", "pyproject.toml")
DEFAULT_PORTS: dict[str, int] = {"streamlit": 4010, "component": 3001, "api": 8888, "idp": 9010}
DEFAULT_TIMEOUT = 90.0
DEFAULT_GRACE = 5.0


@dataclass(frozen=True)
class Probe:
    """How readiness is noticed: ``http`` GET of a path answering < 400, ``tcp`` connect, or
    ``none`` (ready once started)."""

    kind: str
    path: str = "/"

    @classmethod
    def parse(cls, text: str, where: str) -> Probe:
        if text == "tcp" or text == "none":
            return cls(text)
        if text.startswith("http:/"):
            return cls("http", text.removeprefix("http:"))
        raise ConfigError(
            f"{where} key 'probe': '{text}' is not a probe",
            hint="use 'http:/path', 'tcp' or 'none'",
        )

    def __str__(self) -> str:
        return f"http:{self.path}" if self.kind == "http" else self.kind


@dataclass(frozen=True)
class Service:
    name: str
    process: str
    command: str
    port: str | None
    probe: Probe
    needs: tuple[str, ...] = ()
    stop_signal: signal.Signals = signal.SIGTERM
    grace: float = DEFAULT_GRACE
    release: str | bool = True
    """In release mode: True runs the same process, False skips the service, a string names
    the Procfile entry to run instead."""
    unless: str | None = None
    """An environment variable that, when set and not empty, means the service is not needed
    (e.g. the local identity provider is skipped when AUTH0_DOMAIN names a real tenant)."""


@dataclass(frozen=True)
class HttpCheck:
    """A smoke check run by ``stcomp check``: GET ``path`` on ``service`` answers ``status``.

    ``login`` names a development user of the local identity provider whose access token is
    sent as a bearer token; ``mode`` limits the check to dev or release runs.
    """

    name: str
    service: str
    path: str
    status: int = 200
    login: str | None = None
    mode: str | None = None


@dataclass(frozen=True)
class Stack:
    name: str
    description: str
    services: dict[str, Service]
    open: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    frontend: str | None = None
    build: str | None = None
    artifact: str | None = None
    secrets: tuple[str, ...] = ()
    checks: tuple[HttpCheck, ...] = ()

    def ordered(self) -> list[Service]:
        """Services in dependency order (each after the ones it needs)."""
        done: dict[str, Service] = {}

        def visit(svc: Service) -> None:
            if svc.name in done:
                return
            for dep in svc.needs:
                visit(self.services[dep])
            done[svc.name] = svc

        for svc in self.services.values():
            visit(svc)
        return list(done.values())

    def for_mode(
        self, release: bool, procfile: Mapping[str, str], env: Mapping[str, str] | None = None
    ) -> Stack:
        """The stack as it runs in dev or release mode, with the given environment."""
        services: dict[str, Service] = {}
        for svc in self.services.values():
            if svc.unless and (env or {}).get(svc.unless):
                continue
            if release and svc.release is False:
                continue
            if release and isinstance(svc.release, str):
                svc = replace(svc, process=svc.release, command=procfile[svc.release])
            services[svc.name] = svc
        services = {
            name: replace(svc, needs=tuple(d for d in svc.needs if d in services))
            for name, svc in services.items()
        }
        return replace(self, services=services, open=self.open if self.open in services else None)


@dataclass(frozen=True)
class Workspace:
    root: Path
    config_file: Path
    procfile_path: Path
    procfile: dict[str, str]
    ports: dict[str, int]
    stacks: dict[str, Stack]
    env_file: Path
    run_dir: Path

    def stack(self, name: str) -> Stack:
        try:
            return self.stacks[name]
        except KeyError:
            raise UsageError(
                f"unknown stack '{name}' in {self.config_file}",
                hint=f"known stacks: {', '.join(sorted(self.stacks)) or 'none'}",
            ) from None


def find_config(start: Path) -> Path | None:
    """The nearest stcomp.toml, or pyproject.toml with a [tool.stcomp] table, at or above start."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "stcomp.toml" or b"[tool.stcomp" in candidate.read_bytes():
                return candidate
    return None


def load_workspace(start: Path | None = None, *, run_dir: Path | str | None = None) -> Workspace:
    """Find and validate the workspace at or above ``start`` (default: $STCOMP_WORKSPACE or cwd)."""
    start = Path(start or os.environ.get("STCOMP_WORKSPACE") or Path.cwd()).resolve()
    path = find_config(start)
    if path is None:
        raise ConfigError(
            f"no stcomp workspace at or above {start}",
            hint="run stcomp in a folder with a stcomp.toml or a pyproject.toml [tool.stcomp]"
            " table, or create one with 'stcomp scaffold NAME'",
        )
    return parse_workspace(path, run_dir=run_dir)


def parse_workspace(path: Path, *, run_dir: Path | str | None = None) -> Workspace:
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    table = data if path.name == "stcomp.toml" else data.get("tool", {}).get("stcomp", {})
    prefix = "" if path.name == "stcomp.toml" else "tool.stcomp."
    root = path.parent
    procfile_path = root / _str(table, "procfile", "Procfile", path, prefix.rstrip("."))
    procfile = read_procfile(procfile_path)
    ports = dict(DEFAULT_PORTS)
    for key, value in _table(table, "ports", path, prefix + "ports").items():
        if not isinstance(value, int) or not 0 < value < 65536:
            raise ConfigError(f"{path}: [{prefix}ports] key '{key}': expected a port number")
        ports[key] = value
    stacks_table = _table(table, "stacks", path, prefix + "stacks")
    stacks = {
        name: _parse_stack(name, body, path, f"{prefix}stacks.{name}", procfile, ports)
        for name, body in stacks_table.items()
    }
    env_file = root / _str(table, "env_file", ".env", path, prefix.rstrip("."))
    chosen_run_dir = run_dir or os.environ.get("STCOMP_RUN_DIR")
    resolved_run_dir = (
        Path(chosen_run_dir).resolve()
        if chosen_run_dir
        else root / _str(table, "run_dir", ".stcomp", path, prefix.rstrip("."))
    )
    return Workspace(root, path, procfile_path, procfile, ports, stacks, env_file, resolved_run_dir)


def _parse_stack(
    name: str, body: Any, path: Path, where: str, procfile: dict[str, str], ports: dict[str, int]
) -> Stack:
    if not isinstance(body, dict):
        raise ConfigError(f"{path}: [{where}] must be a table")
    services_table = _table(body, "services", path, f"{where}.services")
    if not services_table:
        raise ConfigError(f"{path}: [{where}] has no services", hint="add [{where}.services.NAME]")
    services = {
        sname: _parse_service(sname, sbody, path, f"{where}.services.{sname}", procfile, ports)
        for sname, sbody in services_table.items()
    }
    for svc in services.values():
        for dep in svc.needs:
            if dep not in services:
                raise ConfigError(
                    f"{path}: [{where}.services.{svc.name}] key 'needs': unknown service '{dep}'",
                    hint=f"services of '{name}': {', '.join(services)}",
                )
    _check_acyclic(services, path, where)
    open_ = body.get("open")
    if open_ is not None and open_ not in services:
        raise ConfigError(f"{path}: [{where}] key 'open': unknown service '{open_}'")
    checks = tuple(
        _parse_check(item, path, f"{where}.checks[{i}]", services)
        for i, item in enumerate(body.get("checks", []))
    )
    secrets = body.get("secrets", [])
    if not isinstance(secrets, list) or not all(isinstance(s, str) for s in secrets):
        raise ConfigError(f"{path}: [{where}] key 'secrets': expected a list of variable names")
    return Stack(
        name=name,
        description=_str(body, "description", "", path, where),
        services=services,
        open=open_,
        timeout=_number(body, "timeout", DEFAULT_TIMEOUT, path, where),
        frontend=_optional_str(body, "frontend", path, where),
        build=_optional_str(body, "build", path, where),
        artifact=_optional_str(body, "artifact", path, where),
        secrets=tuple(secrets),
        checks=checks,
    )


def _parse_check(body: Any, path: Path, where: str, services: dict[str, Service]) -> HttpCheck:
    if not isinstance(body, dict):
        raise ConfigError(f"{path}: [{where}] must be a table")
    service = _str(body, "service", "", path, where)
    if service not in services:
        raise ConfigError(
            f"{path}: [{where}] key 'service': unknown service '{service}'",
            hint=f"services: {', '.join(services)}",
        )
    status = body.get("status", 200)
    if not isinstance(status, int) or not 100 <= status < 600:
        raise ConfigError(f"{path}: [{where}] key 'status': expected an HTTP status code")
    mode = _optional_str(body, "mode", path, where)
    if mode not in (None, "dev", "release"):
        raise ConfigError(f"{path}: [{where}] key 'mode': expected 'dev' or 'release'")
    check_path = _str(body, "path", "/", path, where)
    return HttpCheck(
        name=_str(body, "name", f"GET {check_path} on {service}", path, where),
        service=service,
        path=check_path,
        status=status,
        login=_optional_str(body, "login", path, where),
        mode=mode,
    )


def _parse_service(
    name: str, body: Any, path: Path, where: str, procfile: dict[str, str], ports: dict[str, int]
) -> Service:
    if not isinstance(body, dict):
        raise ConfigError(f"{path}: [{where}] must be a table")
    known = {"process", "port", "probe", "needs", "stop_signal", "grace", "release", "unless"}
    for key in body:
        if key not in known:
            raise ConfigError(
                f"{path}: [{where}] unknown key '{key}'",
                hint=f"known keys: {', '.join(sorted(known))}",
            )
    process = _str(body, "process", name, path, where)
    if process not in procfile:
        raise ConfigError(
            f"{path}: [{where}] key 'process': no Procfile entry '{process}'",
            hint=f"Procfile entries: {', '.join(sorted(procfile)) or 'none'}",
        )
    port = body.get("port")
    if port is not None and port not in ports:
        raise ConfigError(
            f"{path}: [{where}] key 'port': unknown port '{port}'",
            hint=f"known ports: {', '.join(sorted(ports))}",
        )
    probe = Probe.parse(
        _str(body, "probe", "http:/" if port else "none", path, where), f"{path}: [{where}]"
    )
    if probe.kind in ("http", "tcp") and port is None:
        raise ConfigError(f"{path}: [{where}] probe '{probe}' needs a 'port'")
    needs = body.get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise ConfigError(f"{path}: [{where}] key 'needs': expected a list of service names")
    sig_name = _str(body, "stop_signal", "SIGTERM", path, where)
    try:
        stop_signal = signal.Signals[sig_name if sig_name.startswith("SIG") else "SIG" + sig_name]
    except KeyError:
        raise ConfigError(
            f"{path}: [{where}] key 'stop_signal': unknown signal '{sig_name}'",
            hint="e.g. SIGTERM, SIGINT",
        ) from None
    release = body.get("release", True)
    if isinstance(release, str) and release not in procfile:
        raise ConfigError(f"{path}: [{where}] key 'release': no Procfile entry '{release}'")
    if not isinstance(release, (bool, str)):
        raise ConfigError(
            f"{path}: [{where}] key 'release': expected true, false or a Procfile entry"
        )
    return Service(
        name=name,
        process=process,
        command=procfile[process],
        port=port,
        probe=probe,
        needs=tuple(needs),
        stop_signal=stop_signal,
        grace=_number(body, "grace", DEFAULT_GRACE, path, where),
        release=release,
        unless=_optional_str(body, "unless", path, where),
    )


def _check_acyclic(services: dict[str, Service], path: Path, where: str) -> None:
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = " -> ".join([*trail[trail.index(name) :], name])
            raise ConfigError(f"{path}: [{where}.services] 'needs' forms a cycle: {cycle}")
        state[name] = 1
        for dep in services[name].needs:
            visit(dep, [*trail, name])
        state[name] = 2

    for name in services:
        visit(name, [])


def _table(body: dict[str, Any], key: str, path: Path, where: str) -> dict[str, Any]:
    value = body.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{where}] must be a table")
    return value


def _str(body: dict[str, Any], key: str, default: str, path: Path, where: str) -> str:
    value = body.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{path}: [{where}] key '{key}': expected a string")
    return value


def _optional_str(body: dict[str, Any], key: str, path: Path, where: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{path}: [{where}] key '{key}': expected a string")
    return value


def _number(body: dict[str, Any], key: str, default: float, path: Path, where: str) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"{path}: [{where}] key '{key}': expected a positive number")
    return float(value)

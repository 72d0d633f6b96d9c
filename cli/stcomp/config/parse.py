"""Reading stack definitions: find the workspace, decode its file strictly, check references.

Every problem is a ConfigError (exit 2) naming the file, the table, the key and, for a
misspelt key, the closest known one.
"""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import probes
from ..errors import ConfigError
from ..procfile import read_procfile
from ..rundir import RUN_DIR_ENV, RunDir
from . import cache
from .locate import find_config, start_folder
from .model import DEFAULT_PORTS, HttpCheck, Login, Requirement, Service, Stack, Workspace

if TYPE_CHECKING:
    from . import schema


def load_workspace(start: Path | None = None, *, run_dir: Path | str | None = None) -> Workspace:
    """Find and check the workspace at or above ``start`` (default: $STCOMP_WORKSPACE or cwd).

    The run directory is ``run_dir``, else $STCOMP_RUN_DIR, else the definition's ``run_dir``.
    """
    start = start_folder(start)
    path = find_config(start)
    if path is None:
        raise ConfigError(
            f"no stcomp workspace at or above {start}",
            hint="run stcomp in a folder with a stcomp.toml or a pyproject.toml [tool.stcomp]"
            " table, or create one with 'stcomp scaffold NAME'",
        )
    chosen = run_dir or os.environ.get(RUN_DIR_ENV) or None
    workspace = cache.load(path)
    if workspace is None:
        made_from = cache.key(path)
        workspace = parse_workspace(path)
        cache.store(path, made_from, workspace)
    return replace(workspace, run_dir=RunDir(Path(chosen).resolve())) if chosen else workspace


def parse_workspace(path: Path, *, run_dir: Path | str | None = None) -> Workspace:
    spec, prefix = decode(path)
    root = path.parent
    procfile_path = root / spec.procfile
    procfile = read_procfile(procfile_path)
    ports = {**DEFAULT_PORTS, **spec.ports}
    where = _Where(path, prefix)
    stacks = {
        name: _stack(name, body, where.sub(f"stacks.{name}"), procfile, ports)
        for name, body in spec.stacks.items()
    }
    chosen = Path(run_dir).resolve() if run_dir else root / spec.run_dir
    return Workspace(
        root,
        path,
        procfile_path,
        procfile,
        ports,
        stacks,
        root / spec.env_file,
        RunDir(chosen),
        log_bytes=int(spec.log_size_mb * 2**20),
        default_run_dir=spec.run_dir,
    )


def decode(path: Path) -> tuple[schema.WorkspaceSpec, str]:
    """The file's stcomp table, strictly decoded; and the table prefix used in messages."""
    import tomllib  # here, not above: a cached workspace needs neither (cache.py)

    import msgspec

    from . import schema

    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    if path.name == "stcomp.toml":
        table, prefix = data, ""
    else:
        table, prefix = data.get("tool", {}).get("stcomp", {}), "tool.stcomp"
    try:
        return msgspec.convert(table, schema.WorkspaceSpec), prefix
    except msgspec.ValidationError:
        from . import explain  # only when something is wrong

        parts, what = explain.locate(schema.WorkspaceSpec, table, [])
        message, hint = explain.explain(what, parts, path, prefix)
        raise ConfigError(message, hint=hint) from None


class _Where:
    """The file and table a value comes from, for messages."""

    def __init__(self, path: Path, table: str) -> None:
        self.path, self.table = path, table

    def sub(self, name: str) -> _Where:
        return _Where(self.path, f"{self.table}.{name}" if self.table else name)

    def error(self, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"{self.path}: [{self.table}] {message}", hint=hint)


def _stack(
    name: str,
    body: schema.StackSpec,
    where: _Where,
    procfile: dict[str, str],
    ports: dict[str, int],
) -> Stack:
    services = {
        sname: _service(sname, sbody, where.sub(f"services.{sname}"), procfile, ports)
        for sname, sbody in body.services.items()
    }
    _check_needs(services, where)
    _check_port_numbers(services, ports, where)
    if body.open is not None and body.open not in services:
        raise where.error(f"key 'open': unknown service '{body.open}'", _listing(services))
    checks = tuple(
        _check(item, where.sub(f"checks[{i}]"), services) for i, item in enumerate(body.checks)
    )
    login = _login(body.login, where.sub("login"), services) if body.login else None
    if login is None and any(c.login for c in checks):
        raise where.error("a check has 'login' but the stack has no [login] table")
    return Stack(
        name=name,
        description=body.description,
        services=services,
        open=body.open,
        timeout=float(body.timeout),
        frontend=body.frontend,
        package=body.package,
        build=body.build,
        artifact=body.artifact,
        secrets=tuple(body.secrets),
        env=dict(body.env),
        checks=checks,
        login=login,
        requires=tuple(_requirement(r) for r in body.requires),
    )


def _service(
    name: str,
    body: schema.ServiceSpec,
    where: _Where,
    procfile: dict[str, str],
    ports: dict[str, int],
) -> Service:
    process = body.process or name
    if process not in procfile:
        raise where.error(
            f"key 'process': no Procfile entry '{process}'",
            hint=f"Procfile entries: {', '.join(sorted(procfile)) or 'none'}",
        )
    if body.port is not None and body.port not in ports:
        raise where.error(
            f"key 'port': unknown port '{body.port}'",
            hint=f"known ports: {', '.join(sorted(ports))}",
        )
    spelled = body.probe or ("http:/" if body.port else "none")
    probe = probes.parse(spelled)
    if probe is None:
        raise where.error(
            f"key 'probe': '{spelled}' is not a probe", hint=f"use {probes.SPELLINGS}"
        )
    if isinstance(probe, probes.FileProbe):  # relative to the workspace root
        probe = probes.FileProbe(str(where.path.parent / probe.path))
    if probe.needs_port and body.port is None:
        raise where.error(f"probe '{probe}' needs a 'port'")
    if isinstance(body.release, str) and body.release not in procfile:
        raise where.error(f"key 'release': no Procfile entry '{body.release}'")
    return Service(
        name=name,
        process=process,
        command=procfile[process],
        port=body.port,
        probe=probe,
        needs=tuple(body.needs),
        uses=tuple(body.uses),
        restart=body.restart,
        max_restarts=body.max_restarts,
        stop_signal=_signal(body.stop_signal, where),
        grace=float(body.grace),
        release=body.release,
        unless=body.unless,
        browser=body.browser,
    )


def _signal(name: str, where: _Where) -> signal.Signals:
    try:
        return signal.Signals[name if name.startswith("SIG") else "SIG" + name]
    except KeyError:
        raise where.error(
            f"key 'stop_signal': unknown signal '{name}'", hint="e.g. SIGTERM, SIGINT"
        ) from None


def _check_needs(services: dict[str, Service], where: _Where) -> None:
    for svc in services.values():
        for key, deps in (("needs", svc.needs), ("uses", svc.uses)):
            for dep in deps:
                if dep not in services or dep == svc.name:
                    raise where.sub(f"services.{svc.name}").error(
                        f"key '{key}': unknown service '{dep}'", _listing(services)
                    )
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = " -> ".join([*trail[trail.index(name) :], name])
            raise where.sub("services").error(f"'needs' and 'uses' form a cycle: {cycle}")
        state[name] = 1
        for dep in (*services[name].needs, *services[name].uses):
            visit(dep, [*trail, name])
        state[name] = 2

    for name in services:
        visit(name, [])


def _check_port_numbers(services: dict[str, Service], ports: dict[str, int], where: _Where) -> None:
    """Two services of one stack cannot listen on one port (one name, or two names, one number)."""
    seen: dict[int, str] = {}
    for svc in services.values():
        if svc.port is None:
            continue
        number = ports[svc.port]
        if number in seen:
            raise where.error(
                f"services '{seen[number]}' and '{svc.name}' both use port {number}",
                hint="give each service a port of its own in [ports]",
            )
        seen[number] = svc.name


def _check(body: schema.CheckSpec, where: _Where, services: dict[str, Service]) -> HttpCheck:
    if body.service not in services:
        raise where.error(f"key 'service': unknown service '{body.service}'", _listing(services))
    return HttpCheck(
        name=body.name or f"GET {body.path} on {body.service}",
        service=body.service,
        path=body.path,
        status=body.status,
        login=body.login,
        mode=body.mode,
    )


def _login(body: schema.LoginSpec, where: _Where, services: dict[str, Service]) -> Login:
    if body.service not in services:
        raise where.error(f"key 'service': unknown service '{body.service}'", _listing(services))
    return Login(
        service=body.service,
        client_id=body.client_id,
        redirect_uri=body.redirect_uri,
        audience=body.audience,
        scope=body.scope,
        fields=dict(body.fields),
    )


def _requirement(body: schema.RequirementSpec) -> Requirement:
    return Requirement(
        name=body.name,
        when=body.when,
        note=body.note,
        env=tuple(body.env),
        urls=tuple(body.urls),
        domains=tuple(body.domains),
        hint=body.hint,
    )


def _listing(services: dict[str, Service]) -> str:
    return f"services: {', '.join(services)}"

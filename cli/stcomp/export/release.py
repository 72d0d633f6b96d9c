"""A stack in release mode, as every exporter needs it: derived from a Plan, checked once.

Everything here comes from the stack definition and the Procfile (nothing names a reference
stack's files), so moving an app or a server only changes what the exporters read, not how.
Refusals (exit 2, nothing written) happen here, before anything is rendered:

- a service whose release command runs a development server (``next dev``, ``vite``, ...);
- a stack with a front end but no release build (``frontend`` without ``build``), or whose
  release build is served by Streamlit but has no ``artifact`` saying where it lands.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Service, Stack, Workspace
from ..errors import UsageError
from ..plan import Plan, make_plan
from ..probes import Probe
from ..rundir import RunDir

PYTHON, NODE = "python", "node"
"""The run times a service's image is built for (see ``runtime_of``)."""

READY, STARTED = "ready", "started"
"""Dependency kinds: wait until the other service answers its probe, or only until it runs.
``needs`` is READY (STARTED when the needed service has no probe, since it can never be seen
ready); the looser ``uses`` of newer stack definitions is STARTED. Each format maps these two
words once (compose.CONDITIONS, procmanagers.SYSTEMD_DIRECTIVES); nothing else reads them."""

CONTAINER_HOST = "0.0.0.0"
CONTAINER_ENV: dict[str, str] = {
    "LISTEN_HOST": CONTAINER_HOST,
    "STREAMLIT_SERVER_ADDRESS": CONTAINER_HOST,
}
"""Inside a container a service must listen on every interface, not 127.0.0.1: Streamlit reads
STREAMLIT_SERVER_ADDRESS (it wins over .streamlit/config.toml), other servers are expected to
read LISTEN_HOST, and loopback addresses given to a listen flag of the Procfile command are replaced
(``listen_everywhere``)."""

_LISTEN_FLAG = re.compile(
    r"(?P<flag>(?<!\S)(?:-H|-b|--host|--hostname|--bind|--server\.address))(?P<sep>=|\s+)"
    r"(?P<address>127\.0\.0\.1|localhost|\[::1\]|::1)(?=[\s:;&|)]|$)"
)

# Commands that start a development server: (program, the arguments that make it one). An
# empty tuple means the program is a dev server whatever follows; a leading "!" means "any
# first argument but these".
_DEV_SERVERS: dict[str, tuple[str, ...]] = {
    "next": ("dev",),
    "vite": ("!build",),
    "webpack-dev-server": (),
    "webpack": ("serve",),
    "react-scripts": ("start",),
    "ng": ("serve",),
    "nuxt": ("dev",),
    "nuxi": ("dev",),
    "astro": ("dev",),
    "remix": ("dev",),
    "parcel": ("!build",),
}
_RELOAD_FLAGS = ("--reload", "--debug")
_PACKAGE_MANAGERS = ("npm", "yarn", "pnpm")


@dataclass(frozen=True)
class Dependency:
    service: str
    kind: str
    """READY or STARTED."""


@dataclass(frozen=True)
class ReleaseService:
    name: str
    process: str
    """Its Procfile entry in release mode."""
    command: str
    """The Procfile command, as written."""
    runtime: str
    """PYTHON or NODE: what its image is built on."""
    port_name: str | None
    port: int | None
    probe: Probe
    dependencies: tuple[Dependency, ...]
    stop_signal: signal.Signals
    grace: float
    browser: bool
    """A browser talks to it: declared ``browser = true``, or the stack's ``open`` service."""

    @property
    def probe_path(self) -> str | None:
        """The path of an HTTP probe; None for a TCP probe or none."""
        path = getattr(self.probe, "path", None)
        return path if self.probe.kind == "http" and isinstance(path, str) else None


@dataclass(frozen=True)
class ReleaseBuild:
    """The stack's release build: where its front end is, how it is built, what it makes."""

    frontend: str | None
    command: str | None
    artifact: str | None


@dataclass(frozen=True)
class Variable:
    """A variable the stack's services read that the operator provides (or may override)."""

    name: str
    default: str | None = None
    """The value used when unset (from the stack's [env] table); None for none."""
    secret: bool = False
    """Never written anywhere: the operator must set it."""
    origin: str = ""
    """Where the name comes from, shown in .env.example."""


@dataclass(frozen=True)
class ReleaseStack:
    workspace: Workspace
    name: str
    description: str
    services: tuple[ReleaseService, ...]
    """In dependency order: each after the ones it depends on."""
    ports: dict[str, int]
    """Port name -> number, for the ports of the services that run."""
    urls: dict[str, str]
    """Port name -> the URL stcomp gives services on this machine (NAME_URL)."""
    build: ReleaseBuild
    variables: tuple[Variable, ...]
    timeout: float

    @property
    def root(self) -> Path:
        return self.workspace.root

    def service(self, name: str) -> ReleaseService:
        return next(s for s in self.services if s.name == name)

    def owner_of(self, port_name: str) -> ReleaseService:
        return next(s for s in self.services if s.port_name == port_name)

    @property
    def secrets(self) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.secret)


def release_plan(workspace: Workspace, stack: str, environ: Mapping[str, str]) -> Plan:
    """``make_plan`` in release mode, without its side effect on the run directory: local
    development secrets are generated into a scratch folder that is thrown away (an export
    only ever names secrets)."""
    with tempfile.TemporaryDirectory(prefix="stcomp-export-") as scratch:
        plan = make_plan(
            replace(workspace, run_dir=RunDir(Path(scratch))),
            stack,
            release=True,
            base_env=dict(environ),
        )
    return replace(plan, workspace=workspace)


def describe(
    workspace: Workspace, stack: str, environ: Mapping[str, str] | None = None
) -> ReleaseStack:
    """The stack as it runs in release mode, or a UsageError saying why it cannot be exported.

    ``environ`` (default: the process environment) decides what ``stcomp up`` would decide
    with it: ports given as NAME_PORT, services skipped by ``unless``.
    """
    plan = release_plan(workspace, stack, os.environ if environ is None else environ)
    definition = workspace.stack(stack)
    released = plan.stack
    if not released.services:
        raise UsageError(
            f"stack '{stack}' has no service in release mode",
            hint="every service has release = false",
        )
    for svc in released.services.values():
        refuse_dev_server(stack, svc)
    services = tuple(_service(released, svc, plan) for svc in released.ordered())
    build = ReleaseBuild(definition.frontend, definition.build, definition.artifact)
    refuse_missing_build(stack, build, services)
    used = {s.port_name for s in services if s.port_name}
    return ReleaseStack(
        workspace=workspace,
        name=stack,
        description=definition.description,
        services=services,
        ports={k: v for k, v in plan.ports.items() if k in used},
        urls={k: plan.env[f"{k.upper()}_URL"] for k in plan.ports if k in used},
        build=build,
        variables=variables(workspace, definition),
        timeout=definition.timeout,
    )


def _service(stack: Stack, svc: Service, plan: Plan) -> ReleaseService:
    return ReleaseService(
        name=svc.name,
        process=svc.process,
        command=svc.command,
        runtime=runtime_of(svc.command),
        port_name=svc.port,
        port=plan.ports[svc.port] if svc.port else None,
        probe=svc.probe,
        dependencies=dependencies(stack, svc),
        stop_signal=svc.stop_signal,
        grace=svc.grace,
        browser=svc.browser or stack.open == svc.name,
    )


def dependencies(stack: Stack, svc: Service) -> tuple[Dependency, ...]:
    """What ``svc`` waits for, with the kind of each wait (READY or STARTED). The one place
    that reads ``needs`` (and ``uses``, where the model has it) for the exporters."""
    found: dict[str, str] = {}
    for name in svc.needs:
        if name in stack.services:
            ready = stack.services[name].probe.kind != "none"
            found[name] = READY if ready else STARTED
    for name in getattr(svc, "uses", ()):
        if name in stack.services and name not in found:
            found[name] = STARTED
    return tuple(Dependency(name, kind) for name, kind in found.items())


def runtime_of(command: str) -> str:
    """NODE for a command that runs Node (node, npm, npx, or a binary from node_modules/.bin),
    else PYTHON (streamlit, python -m ...: the workspace's Python environment)."""
    for word in _words(command):
        base = word.rsplit("/", 1)[-1]
        if "node_modules/.bin/" in word or base in ("node", "npx", *_PACKAGE_MANAGERS):
            return NODE
    return PYTHON


def dev_server_in(command: str) -> str | None:
    """The development server ``command`` starts (e.g. 'next dev'), or None."""
    words = _words(command)
    for i, word in enumerate(words):
        base = word.rsplit("/", 1)[-1]
        following = words[i + 1] if i + 1 < len(words) else ""
        rule = _DEV_SERVERS.get(base)
        if rule == ():
            return base
        for arg in rule or ():
            if arg.startswith("!") and following != arg[1:]:
                return base if not following or following.startswith("-") else f"{base} {following}"
            if following == arg:
                return f"{base} {arg}"
        if base in _PACKAGE_MANAGERS:
            script = words[i + 2] if following == "run" and i + 2 < len(words) else following
            if script in ("dev", "serve"):
                return f"{base} {'run ' if following == 'run' else ''}{script}"
        if base in ("flask", "uvicorn", "gunicorn") and any(
            w in _RELOAD_FLAGS for w in words[i + 1 :]
        ):
            return f"{base} {' '.join(w for w in words[i + 1 :] if w in _RELOAD_FLAGS)}"
    return None


def refuse_dev_server(stack: str, svc: Service) -> None:
    found = dev_server_in(svc.command)
    if found:
        raise UsageError(
            f"stack '{stack}' cannot be exported: service '{svc.name}' runs a development"
            f" server in release mode ('{found}' in Procfile entry '{svc.process}')",
            hint=f"give [stacks.{stack}.services.{svc.name}] a release command"
            ' (release = "PROCFILE-ENTRY") or leave it out of release mode (release = false)',
        )


def refuse_missing_build(
    stack: str, build: ReleaseBuild, services: tuple[ReleaseService, ...]
) -> None:
    if build.frontend and not build.command:
        raise UsageError(
            f"stack '{stack}' cannot be exported: it has a front end ({build.frontend}) but no"
            " release build",
            hint=f"add 'build' (the release build's command) and 'artifact' to [stacks.{stack}]",
        )
    served = any(serves_build(build, s, services) for s in services)
    if build.frontend and build.command and not build.artifact and served:
        raise UsageError(
            f"stack '{stack}' cannot be exported: its release build has no 'artifact', so"
            " where the built component lands is unknown",
            hint=f"add 'artifact' (a file or folder the build makes) to [stacks.{stack}]",
        )


def serves_build(
    build: ReleaseBuild, svc: ReleaseService, services: tuple[ReleaseService, ...]
) -> bool:
    """Whether ``svc``'s image must hold the front end's release build.

    A Node service runs the front end itself (``next start``): it always does. A Python
    service running Streamlit does when no Node service runs in release mode: then the build
    is static and Streamlit serves it (``declare_component(path=...)``).
    """
    if not (build.frontend and build.command):
        return False
    if svc.runtime == NODE:
        return True
    node_runs = any(s.runtime == NODE for s in services)
    return not node_runs and "streamlit" in _words(svc.command)


def listen_everywhere(command: str) -> str:
    """``command`` with loopback addresses given to a listen flag (``-H 127.0.0.1``,
    ``--server.address 127.0.0.1``, ...) replaced by 0.0.0.0, for a container."""
    return _LISTEN_FLAG.sub(lambda m: f"{m['flag']}{m['sep']}{CONTAINER_HOST}", command)


def artifact_folder(root: Path, artifact: str) -> str:
    """The folder holding a build's output, from its ``artifact`` (a file or a folder)."""
    path = root / artifact
    if path.is_dir():
        return artifact.rstrip("/")
    if path.exists() or Path(artifact).suffix or Path(artifact).name.isupper():
        return os.path.dirname(artifact.rstrip("/")) or "."
    return artifact.rstrip("/")


# --- variables ---------------------------------------------------------------------------------

_EXAMPLE_LINE = re.compile(r"^\s*#?\s*(?:export\s+)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>\S*)")


def variables(workspace: Workspace, stack: Stack) -> tuple[Variable, ...]:
    """Every variable the operator provides or may set, each named once, in this order: the
    stack's secrets, its [env] table, the settings its definition names (``requires``,
    ``unless``), then the workspace's .env.example."""
    found: dict[str, Variable] = {}

    def add(var: Variable) -> None:
        found.setdefault(var.name, var)

    table = f"[stacks.{stack.name}]"
    for name in stack.secrets:
        add(Variable(name, secret=True, origin=f"secrets of {table}"))
    for name, value in stack.env.items():
        add(Variable(name, default=value, origin=f"{table[:-1]}.env]"))
    named: list[str] = []
    for req in stack.requires:
        named += [n for n in (req.when, *req.env, *req.urls, *req.domains) if n]
    named += [svc.unless for svc in stack.services.values() if svc.unless]
    for name in named:
        add(Variable(name, origin=f"settings {table} checks"))
    for name in example_names(workspace):
        add(Variable(name, origin=".env.example of the workspace"))
    return tuple(found.values())


def example_names(workspace: Workspace) -> list[str]:
    """The variable names of the workspace's .env.example (set or commented out)."""
    example = workspace.env_file.with_name(workspace.env_file.name + ".example")
    try:
        text = example.read_text()
    except OSError:
        return []
    names = []
    for line in text.splitlines():
        found = _EXAMPLE_LINE.match(line)
        if found and found["name"] not in names:
            names.append(found["name"])
    return names


def python_bin() -> str:
    """The folder of the Python environment stcomp runs in (its ``streamlit``, ``python``)."""
    return os.path.dirname(sys.executable)


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return command.split()

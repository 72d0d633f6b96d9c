"""The stack definitions as the rest of stcomp uses them: resolved, cross-checked, immutable.

parse.py builds these from the file format (schema.py); nothing else constructs them except
tests.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import UsageError
from ..probes import Probe
from ..rundir import RunDir

DEFAULT_PORTS: dict[str, int] = {"streamlit": 4010, "component": 3001, "api": 8888, "idp": 9010}
DEFAULT_TIMEOUT = 90.0
DEFAULT_GRACE = 5.0


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
    (e.g. a local identity provider is skipped when a real tenant is configured)."""
    browser: bool = False
    """A browser talks to it directly, so its URL names the host 'localhost'."""
    uses: tuple[str, ...] = ()
    """Services it talks to once running: they start beside it (not before it), the stack is
    ready only when all are, and they stop together (only ``needs`` orders the teardown)."""
    restart: str = "no"
    """``no``, ``on-failure`` or ``always``: what happens when it exits after start."""
    max_restarts: int = 5


@dataclass(frozen=True)
class HttpCheck:
    """A smoke check run by ``stcomp check``: GET ``path`` on ``service`` answers ``status``.

    ``login`` names a development user whose access token is sent as a bearer token (see
    ``Login``); ``mode`` limits the check to dev or release runs.
    """

    name: str
    service: str
    path: str
    status: int = 200
    login: str | None = None
    mode: str | None = None


@dataclass(frozen=True)
class Login:
    """How ``stcomp check`` gets a development user's access token from ``service``, the
    stack's identity provider. String values may hold ${VARIABLE}s of the run's environment."""

    service: str
    client_id: str
    redirect_uri: str
    audience: str | None = None
    scope: str = "openid"
    fields: Mapping[str, str] = field(default_factory=lambda: {"user": "{user}"})


@dataclass(frozen=True)
class Requirement:
    """Settings ``stcomp doctor`` checks: when ``when`` is set, every variable of ``env`` is
    set, ``urls`` are http(s) URLs and ``domains`` are host names."""

    name: str
    when: str | None = None
    note: str = ""
    env: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Stack:
    name: str
    description: str
    services: dict[str, Service]
    open: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    frontend: str | None = None
    package: str | None = None
    build: str | None = None
    artifact: str | None = None
    secrets: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    checks: tuple[HttpCheck, ...] = ()
    login: Login | None = None
    requires: tuple[Requirement, ...] = ()

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
            name: replace(
                svc,
                needs=tuple(d for d in svc.needs if d in services),
                uses=tuple(d for d in svc.uses if d in services),
            )
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
    run_dir: RunDir
    log_bytes: int = 10 * 2**20
    """A service's log file is rotated past this size."""
    default_run_dir: str = ".stcomp"
    """The run directory the definition names (relative to ``root``)."""

    def stack(self, name: str) -> Stack:
        try:
            return self.stacks[name]
        except KeyError:
            raise UsageError(
                f"unknown stack '{name}' in {self.config_file}",
                hint=f"known stacks: {', '.join(sorted(self.stacks)) or 'none'}",
            ) from None

"""A run plan: one stack, its ports and environment, checked before anything starts."""

from __future__ import annotations

import os
import string
import sys
from dataclasses import dataclass

from .config import Stack, Workspace
from .errors import ConfigError, UsageError
from .files import write_atomic
from .ports import holder
from .procfile import read_env_file
from .rundir import DATA_DIR_ENV, RUN_DIR_ENV, RUN_ID_ENV, RunDir

BROWSER_HOST = "localhost"
"""The host name in URLs a browser opens: cookies and OAuth libraries refuse IP literals."""
SERVICE_HOST = "127.0.0.1"
"""The host name in URLs services use for each other; every service binds 127.0.0.1."""


@dataclass(frozen=True)
class Plan:
    workspace: Workspace
    stack: Stack
    ports: dict[str, int]
    env: dict[str, str]
    release: bool

    @property
    def run_id(self) -> str:
        return self.env[RUN_ID_ENV]

    @property
    def run_dir(self) -> RunDir:
        return self.workspace.run_dir

    @property
    def mode(self) -> str:
        return "release" if self.release else "dev"

    def port_of(self, service: str) -> int | None:
        key = self.stack.services[service].port
        return self.ports[key] if key else None

    def url_of(self, service: str) -> str | None:
        key = self.stack.services[service].port
        return service_url(self.ports[key], browser_ports(self.stack, key)) if key else None

    def env_for(self, service: str) -> dict[str, str]:
        """The environment of one service: the stack's, plus its own data folder."""
        return {**self.env, DATA_DIR_ENV: str(self.run_dir.data(self.stack.name, service))}

    def expand(self, text: str, what: str) -> str:
        """``text`` with ${VARIABLE}s of the run's environment filled in."""
        try:
            return string.Template(text).substitute(self.env)
        except (KeyError, ValueError) as exc:
            raise ConfigError(
                f"stack '{self.stack.name}' {what}: '{text}' names an unset variable {exc}",
                hint="set it in the stack's [env] table, in .env or in the shell",
            ) from None


NEXT_DIST_DIR_ENV = "NEXT_DIST_DIR"
"""Next.js's build folder, read by the components' next.config.ts (``distDir``)."""


def next_dist_dir(workspace: Workspace, release: bool) -> str:
    """``.next`` for the workspace's own runs and every release build; in dev mode with another
    run directory (``stcomp check``, a test), ``.next-check``, so that its ``next dev`` runs
    beside the developer's (Next.js allows one dev server per build folder). The name is the
    same for every such run, so each reuses what the previous one compiled."""
    if release or workspace.run_dir.root == workspace.root / workspace.default_run_dir:
        return ".next"
    return ".next-check"


def browser_ports(stack: Stack, key: str) -> bool:
    """Whether a browser-facing service of the stack listens on port ``key``."""
    return any(s.browser and s.port == key for s in stack.services.values())


def service_url(port: int, browser: bool) -> str:
    return f"http://{BROWSER_HOST if browser else SERVICE_HOST}:{port}"


def parse_port_overrides(items: list[str], known: dict[str, int]) -> dict[str, int]:
    """``["streamlit=5010", ...]`` -> ``{"streamlit": 5010}``."""
    out: dict[str, int] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key or not value.isdigit():
            raise UsageError(
                f"--port '{item}' is not NAME=NUMBER", hint="e.g. --port streamlit=5010"
            )
        if not 0 < int(value) < 65536:
            raise UsageError(
                f"--port '{item}': {value} is not a port number",
                hint="a port is a number from 1 to 65535",
            )
        if key not in known:
            raise UsageError(
                f"--port '{item}': unknown port name '{key}'",
                hint=f"known: {', '.join(sorted(known))}",
            )
        out[key] = int(value)
    return out


def make_plan(
    workspace: Workspace,
    stack_name: str,
    *,
    release: bool = False,
    port_overrides: dict[str, int] | None = None,
    base_env: dict[str, str] | None = None,
) -> Plan:
    """Resolve ports (flag > environment > definition) and the services' environment
    (computed values > shell > .env > the stack's [env] table)."""
    env = dict(os.environ if base_env is None else base_env)
    for key, value in read_env_file(workspace.env_file).items():
        env.setdefault(key, value)
    for key, value in workspace.stack(stack_name).env.items():
        env.setdefault(key, value)
    stack = workspace.stack(stack_name).for_mode(release, workspace.procfile, env)
    ports: dict[str, int] = {}
    for key, default in workspace.ports.items():
        from_env = env.get(f"{key.upper()}_PORT", "")
        ports[key] = (port_overrides or {}).get(key) or (
            int(from_env) if from_env.isdigit() else default
        )
    for key, port in ports.items():
        env[f"{key.upper()}_PORT"] = str(port)
        env[f"{key.upper()}_URL"] = service_url(port, browser_ports(stack, key))
    env[RUN_DIR_ENV] = str(workspace.run_dir)
    env["STCOMP_STACK"] = stack.name
    env[RUN_ID_ENV] = f"{stack.name}-{os.urandom(6).hex()}"
    env["PYTHONUNBUFFERED"] = "1"
    env["NEXT_TELEMETRY_DISABLED"] = "1"
    env[NEXT_DIST_DIR_ENV] = next_dist_dir(workspace, release)
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    if release:
        env["STCOMP_RELEASE"] = "1"
    else:
        env.pop("STCOMP_RELEASE", None)
        # Dev mode: a saved change to the app or its modules reruns it, with no "Rerun" prompt.
        env.setdefault("STREAMLIT_SERVER_RUN_ON_SAVE", "true")
    for name, value in local_secrets(workspace.run_dir, stack.secrets).items():
        env.setdefault(name, value)
    return Plan(workspace, stack, ports, env, release)


def local_secrets(run_dir: RunDir, names: tuple[str, ...]) -> dict[str, str]:
    """Development secrets generated once per run directory, never committed (mode 0600)."""
    if not names:
        return {}
    import secrets  # only when secrets are generated (it imports hashlib and random)

    path = run_dir.secrets_file
    known = read_env_file(path)
    missing = [n for n in names if n not in known]
    if missing:
        known.update({n: secrets.token_hex(32) for n in missing})
        write_atomic(path, "".join(f"{k}={v}\n" for k, v in sorted(known.items())), mode=0o600)
    return {n: known[n] for n in names}


PRIVILEGED_BELOW = 1024


def privileged_ports(plan: Plan) -> list[str]:
    """Warnings for the ports below 1024 the stack would use (only root may bind them)."""
    used = {s.port: plan.ports[s.port] for s in plan.stack.services.values() if s.port}
    return [
        f"port {port} ({key}) is below {PRIVILEGED_BELOW}: only root may listen on it;"
        f" pick another with --port {key}=NUMBER"
        for key, port in sorted(used.items())
        if port < PRIVILEGED_BELOW
    ]


def check_ports(plan: Plan) -> None:
    """Stop with exit 2, naming the holder, if any port the stack needs is taken."""
    used = sorted({plan.ports[s.port] for s in plan.stack.services.values() if s.port})
    for port in used:
        found = holder(port)
        if found is not None:
            raise UsageError(
                f"{found.describe()}; stack '{plan.stack.name}' needs it",
                hint="stop that process (if it is an stcomp stack: 'stcomp down'), or pick another"
                " port with --port NAME=NUMBER",
            )

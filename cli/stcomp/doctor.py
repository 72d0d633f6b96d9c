"""`stcomp doctor`: is this machine ready to run the workspace's stacks? Each finding says
how to fix it. What a particular stack needs (its settings) comes from its ``requires`` tables.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.util import find_spec

from .browser import CHROMIUM_HINT, chromium_path
from .config import Requirement, Workspace
from .frontend import NODE_HINT
from .ports import holder
from .procfile import read_env_file


@dataclass
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    needed: bool = True  # a failed needed finding makes doctor exit 1; others are warnings


def _version(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"\d+(\.\d+)+", done.stdout + done.stderr)
    return found.group(0) if done.returncode == 0 and found else None


def diagnose(workspace: Workspace | None, env: Mapping[str, str] | None = None) -> list[Finding]:
    """The machine's findings; with a workspace, also what its stacks need."""
    merged = dict(os.environ if env is None else env)
    if workspace is None:
        return [
            _python(),
            *_node(needed=False),
            *_browser(),
            Finding(
                "workspace",
                True,
                "none here: checked the machine only",
                "run doctor in a workspace to check its stacks too",
            ),
        ]
    for key, value in read_env_file(workspace.env_file).items():
        merged.setdefault(key, value)
    fronted = any(s.frontend for s in workspace.stacks.values())
    findings = [_python(), *_node(needed=fronted)]
    findings += _frontends(workspace)
    findings += _ports(workspace, merged)
    findings += _browser()
    for stack in workspace.stacks.values():
        stack_env = {**stack.env, **merged}
        findings += [check_requirement(r, stack_env) for r in stack.requires]
    return findings


def _python() -> Finding:
    return Finding(
        "Python", sys.version_info >= (3, 11), sys.version.split()[0], "use Python 3.11 or newer"
    )


def _node(*, needed: bool) -> list[Finding]:
    node = _version(["node", "--version"]) if shutil.which("node") else None
    npm = _version(["npm", "--version"]) if shutil.which("npm") else None
    node_ok = node is not None and int(node.split(".")[0]) >= 20
    return [
        Finding("Node.js", node_ok, node or "not found", NODE_HINT, needed=needed),
        Finding("npm", npm is not None, npm or "not found", NODE_HINT, needed=needed),
    ]


def _frontends(workspace: Workspace) -> list[Finding]:
    findings = []
    for stack in workspace.stacks.values():
        if not stack.frontend:
            continue
        folder = workspace.root / stack.frontend
        modules = folder / "node_modules"
        lock = folder / "package-lock.json"
        stale = (
            modules.is_dir() and lock.is_file() and lock.stat().st_mtime > modules.stat().st_mtime
        )
        installed = modules.is_dir() and not stale
        findings.append(
            Finding(
                f"front end: {stack.name}",
                installed,
                "installed"
                if installed
                else "older than package-lock.json"
                if stale
                else "node_modules missing",
                f"cd {stack.frontend} && npm ci (stcomp up {stack.name} does it too)",
                needed=False,
            )
        )
    return findings


def _ports(workspace: Workspace, env: Mapping[str, str]) -> list[Finding]:
    """The ports the stacks use (services skipped by ``unless`` left out)."""
    used: dict[str, int] = {}
    for stack in workspace.stacks.values():
        for svc in stack.services.values():
            if svc.port and not (svc.unless and env.get(svc.unless)):
                used[svc.port] = workspace.ports[svc.port]
    findings = []
    ours = _ports_of_running_stacks(workspace)
    for stack, ports in sorted(ours.items()):
        findings.append(
            Finding(
                f"ports {', '.join(map(str, sorted(ports)))}",
                True,
                f"held by stack '{stack}', which stcomp runs ('stcomp down {stack}' frees them)",
                "",
                needed=False,
            )
        )
    held = {port for ports in ours.values() for port in ports}
    for key, port in sorted(used.items()):
        if port in held:
            continue
        taken = holder(port)
        findings.append(
            Finding(
                f"port {port} ({key})",
                taken is None,
                "free" if taken is None else taken.describe(),
                "stop that process ('stcomp down' if it is a stack) or use --port",
                needed=False,
            )
        )
    return findings


def _ports_of_running_stacks(workspace: Workspace) -> dict[str, set[int]]:
    """Ports held by this workspace's own running stacks, by stack."""
    from . import state
    from .teardown import is_running

    found: dict[str, set[int]] = {}
    for name in workspace.run_dir.recorded_stacks():
        try:
            record = state.load(workspace.run_dir, name)
        except state.StateDamaged:
            continue
        if record is not None and is_running(record):
            ports = {svc.port for svc in record.services.values() if svc.port}
            found[name] = {port for port in ports if holder(port) is not None}
    return {name: ports for name, ports in found.items() if ports}


def _browser() -> list[Finding]:
    browser = chromium_path()
    playwright = find_spec("playwright") is not None
    return [
        Finding("Chromium", browser is not None, browser or "not found", CHROMIUM_HINT),
        Finding(
            "Playwright",
            playwright,
            "installed" if playwright else "not installed",
            "pip install 'stcomp[browser]' (or pip install playwright)",
        ),
    ]


def check_requirement(req: Requirement, env: Mapping[str, str]) -> Finding:
    """A stack's declared settings: set, and of the right form."""
    if req.when and not env.get(req.when):
        return Finding(req.name, True, req.note or f"{req.when} unset: not needed")
    problems = []
    missing = [name for name in req.env if not env.get(name)]
    if missing:
        problems.append(f"{', '.join(missing)} unset")
    for name in req.urls:
        value = env.get(name, "")
        if value and not value.startswith(("http://", "https://")):
            problems.append(f"{name} must start with http:// or https://")
    for name in req.domains:
        problem = domain_problem(env.get(name, ""))
        if problem:
            problems.append(f"{name} {problem}")
    detail = "; ".join(problems) or (f"{req.when}={env[req.when]}" if req.when else "set")
    return Finding(req.name, not problems, detail, req.hint)


def domain_problem(value: str) -> str | None:
    """Why ``value`` is not a tenant domain as nextjs-auth0 v4 accepts one (its
    ``validateDomainHostname``: a host name only, no path, no port, not localhost, not ``.local``,
    not an IP address), None when it is one. An ``https://`` prefix is tolerated (the other
    SDKs take one); ``http://`` and other schemes are not: a tenant is https."""
    host = value.strip()
    if not host:
        return "is empty (Domain cannot be empty)"
    scheme, sep, rest = host.partition("://")
    if sep:
        if scheme.lower() == "http":
            return "is plain http: a tenant is https (only the local provider is http)"
        if scheme.lower() != "https":
            return f"has the scheme {scheme}://: a tenant domain is a host name served over https"
        host = rest.rstrip("/")
    if "/" in host or "?" in host or "#" in host:
        return "must be a host name, without a path (Domain cannot contain paths)"
    if ":" in host:
        return "cannot contain a port (Domain cannot contain ports)"
    lowered = host.lower().rstrip(".")
    if lowered == "localhost" or lowered.startswith("localhost.") or lowered.endswith(".localhost"):
        return "cannot be localhost (localhost domains are not supported)"
    if lowered.endswith(".local"):
        return "cannot be a .local name (.local domains are not supported)"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "must be a DNS name, not an IP address"
    label = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
    if not re.fullmatch(rf"{label}(\.{label})+", host):
        return f"'{host}' is not a DNS name"
    return None

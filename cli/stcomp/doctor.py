"""`stcomp doctor`: is this machine ready to run the workspace's stacks? Each finding says
how to fix it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.util import find_spec

from .browser import CHROMIUM_HINT, chromium_path
from .config import Workspace
from .frontend import NODE_HINT
from .ports import holder
from .procfile import read_env_file

AUTH0_VARS = ("AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_AUDIENCE", "AUTH0_SECRET")


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


def diagnose(workspace: Workspace, env: dict[str, str] | None = None) -> list[Finding]:
    env = dict(os.environ if env is None else env)
    for key, value in read_env_file(workspace.env_file).items():
        env.setdefault(key, value)
    findings = [
        Finding(
            "Python",
            sys.version_info >= (3, 11),
            sys.version.split()[0],
            "use Python 3.11 or newer",
        )
    ]
    fronted = [s for s in workspace.stacks.values() if s.frontend]
    node = _version(["node", "--version"]) if shutil.which("node") else None
    npm = _version(["npm", "--version"]) if shutil.which("npm") else None
    node_ok = node is not None and int(node.split(".")[0]) >= 20
    findings.append(
        Finding("Node.js", node_ok, node or "not found", NODE_HINT, needed=bool(fronted))
    )
    findings.append(Finding("npm", npm is not None, npm or "not found", NODE_HINT, bool(fronted)))
    for stack in fronted:
        folder = workspace.root / (stack.frontend or "")
        modules = folder / "node_modules"
        lock = folder / "package-lock.json"
        stale = (
            modules.is_dir() and lock.is_file() and lock.stat().st_mtime > modules.stat().st_mtime
        )
        findings.append(
            Finding(
                f"front end: {stack.name}",
                modules.is_dir() and not stale,
                "installed"
                if modules.is_dir() and not stale
                else "older than package-lock.json"
                if stale
                else "node_modules missing",
                f"cd {stack.frontend} && npm ci (stcomp up {stack.name} does it too)",
                needed=False,
            )
        )
    for key, port in sorted(workspace.ports.items()):
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
    browser = chromium_path()
    findings.append(Finding("Chromium", browser is not None, browser or "not found", CHROMIUM_HINT))
    findings.append(
        Finding(
            "Playwright",
            find_spec("playwright") is not None,
            "installed" if find_spec("playwright") else "not installed",
            "pip install -e '.[dev]' (or pip install playwright)",
        )
    )
    findings.append(_auth0(workspace, env))
    return findings


def _auth0(workspace: Workspace, env: dict[str, str]) -> Finding:
    if not env.get("AUTH0_DOMAIN"):
        generated = (workspace.run_dir / "secrets.env").is_file()
        return Finding(
            "Auth0 settings",
            True,
            "AUTH0_DOMAIN unset: the local identity provider is used"
            + ("; local secrets generated" if generated else ""),
        )
    missing = [name for name in AUTH0_VARS if not env.get(name)]
    base = env.get("APP_BASE_URL", "")
    problems = [f"{', '.join(missing)} unset"] if missing else []
    if base and not base.startswith(("http://", "https://")):
        problems.append("APP_BASE_URL must start with http:// or https://")
    if env["AUTH0_DOMAIN"].startswith("http://"):
        problems.append("AUTH0_DOMAIN is plain http (only the local provider may be)")
    return Finding(
        "Auth0 settings",
        not problems,
        "; ".join(problems) or f"tenant {env['AUTH0_DOMAIN']}",
        "set them in .env (see .env.example) or unset AUTH0_DOMAIN to use the local provider",
    )

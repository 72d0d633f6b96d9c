"""A stack's front end: Node and npm present, dependencies installed, release build made."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from .errors import ServiceFailed, UsageError
from .logs import tail_text
from .plan import Plan

NODE_HINT = "install Node.js 20 or newer with npm (Debian: apt-get install nodejs npm)"


def frontend_dir(plan: Plan) -> Path | None:
    return plan.workspace.root / plan.stack.frontend if plan.stack.frontend else None


def require_npm(plan: Plan) -> str:
    import shutil  # here: only stacks with a front end need it

    npm = shutil.which("npm", path=plan.env.get("PATH"))
    if npm is None or shutil.which("node", path=plan.env.get("PATH")) is None:
        raise UsageError(
            f"Node.js and npm are needed by stack '{plan.stack.name}' ({plan.stack.frontend})"
            " but were not found on PATH",
            hint=NODE_HINT,
        )
    return npm


def install(plan: Plan) -> None:
    """``npm ci`` from the committed lockfile; on failure no partial node_modules is left."""
    folder = frontend_dir(plan)
    assert folder is not None
    if not (folder / "package-lock.json").is_file():
        raise UsageError(
            f"{folder}: no package-lock.json", hint="commit the lockfile next to package.json"
        )
    npm = require_npm(plan)
    log = plan.run_dir.install_log(plan.stack.name)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        code = subprocess.call(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=folder,
            env=plan.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if code != 0:
        import shutil

        shutil.rmtree(folder / "node_modules", ignore_errors=True)
        raise ServiceFailed("npm ci", f"failed with code {code} in {folder}", tail_text(log, 20))


Progress = Callable[[str], AbstractContextManager[object]]


def install_missing(plan: Plan, progress: Progress | None) -> None:
    """``npm ci`` when node_modules is missing, inside the caller's progress indicator."""
    folder = frontend_dir(plan)
    if folder is None or (folder / "node_modules").is_dir():
        return
    message = f"installing front-end dependencies in {plan.stack.frontend} (npm ci)"
    with progress(message) if progress else nullcontext():
        install(plan)


def ensure_ready(plan: Plan, *, on_install: Progress | None = None) -> None:
    """Install missing front-end dependencies (dev), or require the release build."""
    folder = frontend_dir(plan)
    if folder is None:
        return
    if plan.release and plan.stack.artifact:
        artifact = plan.workspace.root / plan.stack.artifact
        if not artifact.exists():
            raise UsageError(
                f"stack '{plan.stack.name}' has no release build at {artifact}",
                hint=f"run 'stcomp build {plan.stack.name}' first",
            )
        if all("node_modules" not in s.command for s in plan.stack.services.values()):
            return
    install_missing(plan, on_install)


def build(plan: Plan, *, on_install: Progress | None = None) -> Path:
    """Run the stack's build command; return the build output."""
    if not plan.stack.build:
        raise UsageError(
            f"stack '{plan.stack.name}' has nothing to build", hint="it has no 'build' key"
        )
    install_missing(plan, on_install)
    log = plan.run_dir.build_log(plan.stack.name)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(plan.env, STCOMP_RELEASE="1", NODE_ENV="production")
    with open(log, "wb") as out:
        code = subprocess.call(
            ["/bin/sh", "-c", plan.stack.build],
            cwd=plan.workspace.root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if code != 0:
        raise ServiceFailed(
            "build", f"'{plan.stack.build}' failed with code {code}", tail_text(log, 20)
        )
    return plan.workspace.root / (plan.stack.artifact or "")

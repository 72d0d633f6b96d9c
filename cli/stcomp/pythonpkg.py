"""A stack's own Python package (``package = "FOLDER"``): what ``stcomp package`` builds, and,
when it declares v2 components, installed in editable mode from its folder into the Python that
runs the stack, before anything starts.

Streamlit finds a Components v2 component's ``asset_dir`` only through an installed
distribution, so a component under development must be installed; an editable install keeps
its source the one that runs. ``stcomp up`` does this on first use, as it runs ``npm ci``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import ServiceFailed, UsageError
from .frontend import Progress
from .logs import tail_text
from .plan import Plan


def project_name(folder: Path) -> str:
    """``[project].name`` of the pyproject.toml in ``folder``."""
    return str(_project(folder)[0])


def declares_v2_components(folder: Path) -> bool:
    """Whether the project declares Components v2 components ([tool.streamlit.component])."""
    return _declares_v2(_project(folder)[1])


def _declares_v2(pyproject: dict[str, Any]) -> bool:
    return bool(pyproject.get("tool", {}).get("streamlit", {}).get("component"))


def _project(folder: Path) -> tuple[str, dict[str, Any]]:
    import tomllib  # here: only stacks with a package pay for it

    path = folder / "pyproject.toml"
    try:
        data = tomllib.loads(path.read_text())
        name = data["project"]["name"]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise UsageError(
            f"{path}: no [project] name ({exc.__class__.__name__})",
            hint="a stack's 'package' is a folder with a pyproject.toml that names its project",
        ) from None
    if not isinstance(name, str):
        raise UsageError(f"{path}: [project] name is not a string")
    return name, data


def installed_from(name: str) -> Path | None:
    """The folder distribution ``name`` is installed from in editable mode, else None."""
    from importlib import metadata  # here: only stacks with a package pay for it

    try:
        text = metadata.distribution(name).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        direct = json.loads(text or "{}")
    except ValueError:
        return None
    url = direct.get("url", "")
    if not direct.get("dir_info", {}).get("editable") or not url.startswith("file://"):
        return None
    return Path(unquote(urlparse(url).path)).resolve()


def ensure_installed(plan: Plan, progress: Progress | None = None) -> None:
    """``pip install --no-deps -e FOLDER`` unless it is installed from there already, for a
    project that declares v2 components (a v1 component's app imports it from its folder)."""
    if not plan.stack.package:
        return
    folder = (plan.workspace.root / plan.stack.package).resolve()
    name, pyproject = _project(folder)
    if not _declares_v2(pyproject) or installed_from(name) == folder:
        return
    log = plan.run_dir.pip_log(plan.stack.name)
    log.parent.mkdir(parents=True, exist_ok=True)
    message = f"installing {name} from {plan.stack.package} (pip install -e)"
    with progress(message) if progress else nullcontext(), open(log, "wb") as out:
        code = subprocess.call(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--no-deps",
                "--disable-pip-version-check",
                "-e",
                str(folder),
            ],
            env=plan.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if code != 0:
        raise ServiceFailed(
            "pip install", f"failed with code {code} in {folder}", tail_text(log, 20)
        )

"""``stcomp package STACK``: a component's wheel and sdist, checked before anyone installs them.

The steps, in order: the front end's release build; ``python -m build`` (the sdist, then the
wheel built from it, so the sdist is proven complete too) into a staging folder; an inspection
of the wheel (the built front end is inside the package where its declaration says, nothing
that does not belong is); then a smoke check: the wheel installed (a regular install, not
editable) into a throwaway virtual environment with Streamlit, the component's example app
run from a copy outside the source tree, and a headless browser that sees it render. Only when
all of that passes do the files move to the project's ``dist/``; a failure leaves nothing there.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from contextlib import nullcontext
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

from .errors import StcompError, UsageError
from .frontend import Progress, install_missing
from .frontend import build as build_frontend
from .logs import tail_text
from .plan import Plan
from .pythonpkg import declares_v2_components, project_name

# What a published component's wheel never needs.
NEVER = ("node_modules", "__pycache__", "tests", ".rebuilt", ".stcomp", ".next", ".git")
NEVER_FILES = ("*.pyc", "*.tsbuildinfo", ".DS_Store", "*.log")
SOURCE_MAPS = "*.map"
SMOKE_TIMEOUT = 120.0


class PackageFailed(StcompError):
    """The build failed, or the wheel misses what it needs, or it does not run (exit 1)."""

    def __init__(self, message: str, details: list[str] | None = None, **kw: str) -> None:
        super().__init__(message, **kw)
        self.details = details or []


@dataclass(frozen=True)
class Packaged:
    name: str
    version: str
    wheel: Path
    sdist: Path
    files: int
    smoke: str | None


def package(
    plan: Plan,
    *,
    smoke: bool = True,
    source_maps: bool = False,
    progress: Progress | None = None,
) -> Packaged:
    """Build, inspect and smoke-check the stack's package; move the results into ``dist/``."""
    if not plan.stack.package:
        raise UsageError(
            f"stack '{plan.stack.name}' has no 'package' (the component's Python project)",
            hint='add package = "FOLDER" (the folder with its pyproject.toml) to the stack',
        )
    folder = (plan.workspace.root / plan.stack.package).resolve()
    name = project_name(folder)
    step: Progress = progress or (lambda message: nullcontext())
    if plan.stack.build:
        install_missing(plan, progress)
        with step(f"building the front end of {name} for release"):
            build_frontend(plan)
    stage = Path(tempfile.mkdtemp(prefix=f"stcomp-package-{name}-"))
    try:
        with step(f"building the sdist and wheel of {name} (python -m build)"):
            wheel, sdist = _build(folder, stage / "dist", plan.run_dir.build_log(plan.stack.name))
        problems, version, files = inspect(
            wheel,
            _artifact_in_package(plan, folder),
            source_maps,
            declares_v2=declares_v2_components(folder),
        )
        if problems:
            raise PackageFailed(
                f"{wheel.name} is not fit to publish: {problems[0]}",
                problems[1:],
                hint="fix the build or the pyproject.toml's package data, then package again",
            )
        result = None
        if smoke:
            with step(
                f"installing {wheel.name} into a fresh virtual environment, and a smoke check"
            ):
                result = smoke_check(wheel, folder, stage)
        dist = folder / "dist"
        dist.mkdir(exist_ok=True)
        placed = [Path(shutil.move(str(f), dist / f.name)) for f in (wheel, sdist)]
        return Packaged(name, version, placed[0], placed[1], files, result)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _build(folder: Path, out: Path, log: Path) -> tuple[Path, Path]:
    try:
        import build  # noqa: F401  (the PyPA front end; run as a module below)
    except ImportError:
        raise UsageError(
            "the 'build' package is needed to make wheels", hint="pip install build"
        ) from None
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as sink:
        code = subprocess.call(
            [sys.executable, "-m", "build", "--outdir", str(out), str(folder)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if code != 0:
        raise PackageFailed(
            f"python -m build failed with code {code} in {folder}", tail_text(log, 15)
        )
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise PackageFailed(f"python -m build made {len(wheels)} wheels, {len(sdists)} sdists")
    return wheels[0], sdists[0]


def _artifact_in_package(plan: Plan, folder: Path) -> str | None:
    """Where the stack's release build lies inside the package, as a path in the wheel."""
    if not plan.stack.artifact:
        return None
    artifact = (plan.workspace.root / plan.stack.artifact).resolve()
    try:
        return artifact.relative_to(folder).as_posix()
    except ValueError:
        return None  # built outside the project: nothing to look for in the wheel


def inspect(
    wheel: Path, artifact: str | None, source_maps: bool, *, declares_v2: bool = False
) -> tuple[list[str], str, int]:
    """What is wrong with the wheel (nothing: an empty list), its version, its file count.
    ``declares_v2``: the project declares v2 components, so the wheel must carry the
    declaration inside its package (the only copy a regular install has)."""
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        metadata = HeaderParser().parsestr(archive.read(meta_name).decode()) if meta_name else {}
        declarations = {
            n: archive.read(n).decode()
            for n in names
            if PurePosixPath(n).name == "pyproject.toml" and len(PurePosixPath(n).parts) == 2
        }
    version = str(metadata.get("Version", "") or "")
    problems: list[str] = []
    if not version or version in ("0.0.0", "0"):
        problems.append("no version is set ([project] version)")
    for n in names:
        parts = PurePosixPath(n).parts
        if any(p in NEVER for p in parts) or any(
            fnmatch.fnmatch(parts[-1], g) for g in NEVER_FILES
        ):
            problems.append(f"it holds {n}, which a published package does not need")
        elif not source_maps and fnmatch.fnmatch(parts[-1], SOURCE_MAPS):
            problems.append(f"it holds the source map {n} (package --source-maps to keep them)")
    if artifact is not None and not any(n.startswith(artifact.rstrip("/") + "/") for n in names):
        problems.append(
            f"the built front end ({artifact}/) is missing: list it in the package data"
        )
    if declares_v2 and not declarations:
        problems.append(
            "no PACKAGE/pyproject.toml with the [tool.streamlit.component] table: a regular"
            " install cannot find the component's assets (list it in the package data)"
        )
    problems += _check_declarations(declarations, names, str(metadata.get("Name", "")))
    return problems, version, len(names)


def _check_declarations(declarations: dict[str, str], names: list[str], dist: str) -> list[str]:
    """Each v2 declaration the wheel ships resolves inside its package, to built files."""
    problems = []
    for path, text in declarations.items():
        package = PurePosixPath(path).parts[0]
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{path} is not valid TOML: {exc}")
            continue
        components = data.get("tool", {}).get("streamlit", {}).get("component", {})
        declared = data.get("project", {}).get("name", "")
        if components and _canonical(declared) != _canonical(dist):
            problems.append(
                f"{path} names project '{declared}', the wheel is '{dist}':"
                " Streamlit ignores a declaration of another project"
            )
        for entry in components.get("components", []):
            asset_dir = entry.get("asset_dir")
            if not asset_dir:
                continue
            where = (PurePosixPath(package) / asset_dir).as_posix().rstrip("/") + "/"
            built = [n for n in names if n.startswith(where)]
            if not built:
                problems.append(
                    f"component '{entry.get('name')}': its asset_dir {where} is not in the wheel"
                )
            elif not any(n.endswith((".js", ".mjs")) for n in built):
                problems.append(f"component '{entry.get('name')}': no JavaScript in {where}")
    return problems


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def smoke_check(wheel: Path, folder: Path, stage: Path) -> str:
    """The wheel, installed regularly into a new virtual environment, renders in a browser.

    The example app runs from a copy outside the source tree, so the component can only come
    from the installed wheel."""
    app = folder / "app.py"
    if not app.is_file():
        return "no app.py beside the package: smoke check skipped"
    venv = stage / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], "creating a virtual environment")
    python = venv / "bin" / "python"
    _run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        f"pip install {wheel.name}",
    )
    run = stage / "app"
    run.mkdir()
    shutil.copy2(app, run / "app.py")
    from .ports import free_port
    from .probes import http_ok

    port = free_port()
    log = stage / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "STREAMLIT_"))}
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    with open(log, "wb") as sink:
        server = subprocess.Popen(
            [str(python), "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--global.developmentMode", "false"],
            cwd=run, env=env, stdout=sink, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + SMOKE_TIMEOUT
        while not http_ok(port, "/_stcore/health", timeout=2.0):
            if server.poll() is not None or time.monotonic() > deadline:
                raise PackageFailed("the installed wheel's app did not start", tail_text(log, 15))
            time.sleep(0.05)  # Streamlit's start-up, polled as the supervisor does
        from .browser import RoundTripFailed, component_round_trip

        try:
            return component_round_trip(f"http://localhost:{port}")
        except RoundTripFailed as exc:
            raise PackageFailed(
                f"the installed wheel does not render: {exc}", tail_text(log, 15)
            ) from None
    finally:
        _stop(server)


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        lines = (result.stdout + result.stderr).strip().splitlines()
        raise PackageFailed(f"{what} failed with code {result.returncode}", lines[-15:])


def _stop(server: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if server.poll() is not None:
            break
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    # The group may outlive its leader (a child of Streamlit): make sure of it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)

"""One Dockerfile per service of a stack in release mode, and the build context's ignore rules.

The build context is the whole workspace (so moving an app or a server changes nothing here);
what stays out of it is said by the ignore rules. Base images are pinned to a full version:

- Python services: ``PYTHON_IMAGE`` with the workspace's Python dependencies
  (``python_install``); the front end's release build is copied in when Streamlit serves it.
- Node services: the front end is installed from its lockfile and built in a ``frontend``
  stage, development dependencies are pruned, and only the front-end folder goes into
  ``NODE_IMAGE``.

Every image runs as an unprivileged user, listens on 0.0.0.0 (release.CONTAINER_ENV), keeps
its STCOMP_DATA_DIR under ``RUN_DIR`` (a volume in compose.yaml), and stops with the service's
own signal.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .release import (
    CONTAINER_ENV,
    NODE,
    ReleaseService,
    ReleaseStack,
    artifact_folder,
    listen_everywhere,
    serves_build,
)

# Pinned base images: a full version, never a moving tag. Python is the minor version stcomp
# and the reference stacks are developed with; Node the version measured on the dev machines.
PYTHON_IMAGE = "python:3.11.14-slim-bookworm"
NODE_IMAGE = "node:20.20.2-bookworm-slim"
PIP_VERSION = "26.3"
"""pip installs dependency groups (``--group``) since 25.1."""

APP_DIR = "/app"
RUN_DIR = "/var/lib/stcomp"
"""STCOMP_RUN_DIR inside a container; each service's own data folder is below it."""
APP_USER, APP_UID = "app", 10001
"""The unprivileged user of Python images, named by number in USER (Kubernetes' runAsNonRoot
can only check a number)."""
NODE_UID = 1000
"""The official Node images' own unprivileged user, ``node``."""
EXPORT_CONTEXT = "export"
"""The named build context (compose.yaml: ``additional_contexts``) of the export's folder."""
CONSTRAINTS = "constraints.txt"
FRONTEND_STAGE = "frontend"
RELEASE_DIR = "/release"
"""Where the frontend stage puts the built artifact, at its workspace path, for COPY --from."""
DEV_GROUPS = frozenset({"dev", "test", "tests", "lint", "docs", "typing", "types", "ci"})
"""Dependency groups that are tools, not what the services import."""


@dataclass
class PythonInstall:
    """How a Python image gets the workspace's dependencies."""

    copy_first: list[str] = field(default_factory=list)
    """Workspace paths pip reads, copied before the install so that its layer is cached."""
    args: list[str] = field(default_factory=list)
    """pip install arguments, run before the workspace is copied."""
    project: bool = False
    """Also install the workspace's own project (``pip install .``), after it is copied."""
    note: str = ""


def python_install(root: Path, exclude: tuple[str, ...] = ()) -> PythonInstall:
    """The workspace's Python dependencies, from what it declares, in this order:
    ``requirements.txt``; the dependency groups (PEP 735) of ``pyproject.toml`` that are not
    tools (``DEV_GROUPS``); each local distribution one folder down (``host/pyproject.toml``);
    and the workspace's own ``[project]`` when neither a requirements file nor a group says
    what to install. With none of these, the Streamlit version of this environment."""
    found = PythonInstall()
    if (root / "requirements.txt").is_file():
        found.copy_first.append("requirements.txt")
        found.args += ["-r", "requirements.txt"]
    data = _pyproject(root / "pyproject.toml")
    groups = [g for g in data.get("dependency-groups", {}) if g not in DEV_GROUPS]
    if groups:
        found.copy_first.append("pyproject.toml")
        for group in groups:
            found.args += ["--group", group]
    for project in sorted(root.glob("*/pyproject.toml")):
        folder = project.parent.name
        if folder.startswith(".") or folder in exclude:
            continue
        found.copy_first.append(f"{folder}/")
        found.args.append(f"./{folder}")
    if "project" in data and not groups and not (root / "requirements.txt").is_file():
        found.project = True
    if not found.args and not found.project:
        try:
            version = importlib.metadata.version("streamlit")
        except importlib.metadata.PackageNotFoundError:
            version = ""
        if version:
            found.args.append(f"streamlit=={version}")
        found.note = (
            "no requirements.txt, dependency group or package found in the workspace: declare"
            " the services' Python dependencies in one of them"
        )
    return found


def constraints() -> str:
    """Every distribution of the Python environment stcomp runs in, pinned: the versions the
    workspace was developed and tested with, as a pip constraints file (it only limits the
    versions of what the images install). Distributions installed from a local folder (the
    workspace's own, editable ones) cannot be pinned and are left out."""
    pinned: dict[str, str] = {}
    local: set[str] = {"pip", "setuptools", "wheel"}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        key = name.lower().replace("_", "-")
        origin = dist.read_text("direct_url.json") or ""
        if '"dir_info"' in origin or '"vcs_info"' in origin:
            local.add(key)
        pinned.setdefault(key, f"{name}=={dist.version}")
    for key in local:
        pinned.pop(key, None)
    return (
        "# Generated by stcomp export: the versions of the environment the workspace was\n"
        "# exported from, as pip constraints for the images' dependencies.\n"
        + "".join(f"{line}\n" for _, line in sorted(pinned.items()))
    )


def _pyproject(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def ignore_rules(release: ReleaseStack, out: Path) -> str:
    """What stays out of the build context: dependencies and build outputs made anew in the
    image, local state, secrets, and the export itself."""
    root = release.root
    lines = [
        "# Generated by stcomp export: what stays out of the images' build context (the",
        "# workspace). Docker (BuildKit) reads it as Dockerfile.SERVICE.dockerignore beside",
        "# each Dockerfile; copy it to the workspace root for a builder without BuildKit.",
        ".git",
        ".venv",
        "**/node_modules",
        "**/.next",
        "**/__pycache__",
        "**/*.pyc",
        "**/*.egg-info",
        ".pytest_cache",
        ".ruff_cache",
        "# local state and secrets: never in an image",
        ".env",
        "**/.env",
        "**/.env.*",
        "!**/.env.example",
    ]
    run_dir = _inside(root, release.workspace.run_dir.root)
    if run_dir:
        lines.append(run_dir)
    build = release.build
    if build.frontend and build.artifact:
        lines.append("# the release build, made anew in the image")
        lines.append(artifact_folder(root, build.artifact))
    exported = _inside(root, out)
    if exported:
        lines.append("# this export")
        lines.append(exported)
    return "\n".join(lines) + "\n"


def render(release: ReleaseStack, svc: ReleaseService, install: PythonInstall) -> str:
    """The Dockerfile of one service."""
    head = [
        "# syntax=docker/dockerfile:1",
        f"# Generated by `stcomp export {release.name} --format compose`: service '{svc.name}'",
        f"# (Procfile entry '{svc.process}'), built from the workspace root as its context.",
    ]
    build = release.build
    needs_build = serves_build(build, svc, release.services)
    stages: list[list[str]] = []
    if needs_build or svc.runtime == NODE:
        stages.append(_frontend_stage(release, svc, copy_out=svc.runtime != NODE))
    final = _node_stage(release, svc) if svc.runtime == NODE else None
    if final is None:
        final = _python_stage(release, svc, install, with_build=needs_build)
    stages.append(final)
    return "\n".join(head) + "\n\n" + "\n\n".join("\n".join(s) for s in stages) + "\n"


def _frontend_stage(release: ReleaseStack, svc: ReleaseService, *, copy_out: bool) -> list[str]:
    build = release.build
    frontend = (build.frontend or "").rstrip("/")
    if not frontend:
        raise ValueError(f"service '{svc.name}' runs Node but the stack has no 'frontend'")
    lines = [
        "# The front end: installed from its lockfile, built for release.",
        f"FROM {NODE_IMAGE} AS {FRONTEND_STAGE}",
        "ENV NEXT_TELEMETRY_DISABLED=1 STCOMP_RELEASE=1",
        f"WORKDIR {APP_DIR}/{frontend}",
        f"COPY {frontend}/package.json {frontend}/package-lock.json ./",
        "RUN npm ci --no-audit --no-fund",
        f"WORKDIR {APP_DIR}",
        "COPY . .",
    ]
    if build.command:
        lines += ["ENV NODE_ENV=production", f"RUN {_exec_form(build.command)}"]
    if copy_out and build.artifact:
        artifact = build.artifact.rstrip("/")
        lines.append("# The artifact's folder, at its workspace path, for the final stage.")
        lines.append(
            "RUN out="
            + _sh_quote(artifact)
            + ' && if [ ! -d "$out" ]; then out=$(dirname "$out"); fi'
            + f' && mkdir -p "{RELEASE_DIR}/$(dirname "$out")"'
            + f' && cp -a "$out" "{RELEASE_DIR}/$out"'
        )
    if svc.runtime == NODE:
        lines += [f"WORKDIR {APP_DIR}/{frontend}", "RUN npm prune --omit=dev --no-audit --no-fund"]
    return lines


def _node_stage(release: ReleaseStack, svc: ReleaseService) -> list[str]:
    frontend = (release.build.frontend or "").rstrip("/")
    data = _data_dir(release, svc)
    lines = [
        "# Release: the built front end and its production dependencies only.",
        f"FROM {NODE_IMAGE}",
        "ENV " + _env_line(_image_env(release, svc, data, node=True)),
        f"WORKDIR {APP_DIR}",
        f"RUN mkdir -p {data} && chown -R {NODE_UID}:{NODE_UID} {RUN_DIR}",
        f"COPY --from={FRONTEND_STAGE} --chown={NODE_UID}:{NODE_UID} {APP_DIR}/{frontend}"
        f" {frontend}",
        f"USER {NODE_UID}:{NODE_UID}",
    ]
    return lines + _tail(svc)


def _python_stage(
    release: ReleaseStack, svc: ReleaseService, install: PythonInstall, *, with_build: bool
) -> list[str]:
    data = _data_dir(release, svc)
    lines = [
        f"FROM {PYTHON_IMAGE}",
        "ENV " + _env_line(_image_env(release, svc, data, node=False)),
        f"WORKDIR {APP_DIR}",
        f"RUN groupadd --gid {APP_UID} {APP_USER}"
        f" && useradd --create-home --uid {APP_UID} --gid {APP_UID} {APP_USER}"
        f" && mkdir -p {data} && chown -R {APP_UID}:{APP_UID} {RUN_DIR}",
    ]
    if install.note:
        lines.append(f"# {install.note}")
    lines += [
        "# The versions the workspace was exported with (a named context: compose.yaml).",
        "# hadolint ignore=DL3022",
        f"COPY --from={EXPORT_CONTEXT} {CONSTRAINTS} /tmp/{CONSTRAINTS}",
    ]
    for path in install.copy_first:
        lines.append(f"COPY {path} {path if path.endswith('/') else './'}")
    pip = "python -m pip install --no-cache-dir"
    steps = [f"{pip} pip=={PIP_VERSION}"]
    if install.args:
        steps.append(f"{pip} --constraint /tmp/{CONSTRAINTS} {' '.join(install.args)}")
    lines.append("RUN " + " \\\n && ".join(steps))
    lines.append("COPY . .")
    if install.project:
        lines.append(f"RUN {pip} --constraint /tmp/{CONSTRAINTS} .")
    build = release.build
    if with_build:
        lines.append("# The component's release build, served by Streamlit.")
        lines.append(f"COPY --from={FRONTEND_STAGE} {RELEASE_DIR}/ ./")
    elif build.command and not build.frontend:
        lines.append("# The stack's release build (no front end to install).")
        lines.append(f"RUN {_exec_form(build.command)}")
    lines.append(f"USER {APP_UID}:{APP_UID}")
    return lines + _tail(svc)


def _tail(svc: ReleaseService) -> list[str]:
    lines = []
    if svc.port is not None:
        lines.append(f"EXPOSE {svc.port}")
    lines.append(f"STOPSIGNAL {svc.stop_signal.name}")
    lines.append(f"CMD {_exec_form(listen_everywhere(svc.command))}")
    return lines


def _image_env(
    release: ReleaseStack, svc: ReleaseService, data: str, *, node: bool
) -> dict[str, str]:
    env = {"STCOMP_RELEASE": "1", "STCOMP_STACK": release.name}
    env.update({"STCOMP_RUN_DIR": RUN_DIR, "STCOMP_DATA_DIR": data})
    if node:
        env.update({"NODE_ENV": "production", "NEXT_TELEMETRY_DISABLED": "1"})
        env["LISTEN_HOST"] = CONTAINER_ENV["LISTEN_HOST"]
    else:
        env.update({"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"})
        env.update(CONTAINER_ENV)
    return env


def _data_dir(release: ReleaseStack, svc: ReleaseService) -> str:
    """The service's STCOMP_DATA_DIR, laid out as stcomp's run directory lays it out."""
    return f"{RUN_DIR}/{release.name}/data/{svc.name}"


def _env_line(env: dict[str, str]) -> str:
    return " \\\n    ".join(f"{k}={json.dumps(v)}" for k, v in env.items())


def _exec_form(command: str) -> str:
    """A shell command in JSON (exec) form, so that the shell gets signals' and exit codes
    right through its own ``exec``."""
    return json.dumps(["/bin/sh", "-c", command])


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _inside(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` (posix), or None when it is not inside it."""
    try:
        rel = path.absolute().relative_to(root.absolute())
    except ValueError:
        return None
    text = rel.as_posix()
    return None if text in ("", ".") else text


def relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.absolute(), start.absolute())).as_posix()

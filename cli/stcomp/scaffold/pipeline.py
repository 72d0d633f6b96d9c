"""The steps of one scaffold: check, plan, render and validate in staging, then commit."""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..frontend import NODE_HINT
from . import ScaffoldResult
from .commit import commit, staging
from .layout import Layout, check_target, existing_parent, plan_layout
from .names import check_name
from .render import Parts, render, stage, take_parts, variables, workspace_variables
from .templates import WORKSPACE, Template, only, resolve
from .workspace import (
    append_block,
    config_without_block,
    merge_lines,
    procfile_without_block,
    read,
    validate,
)

CI_WORKFLOW = ".github/workflows/stcomp.yml"
"""What a new workspace's CI runs: stcomp doctor, stcomp check --browser, the tests."""


@dataclass(frozen=True)
class Request:
    name: str
    template: Template
    layout: Layout
    force: bool


@dataclass(frozen=True)
class Texts:
    """The config and Procfile as they are (``before``), and as the new stack is added to."""

    before: dict[Path, str]
    config: str
    procfile: str


def run(name: str, template: str, dest: Path | None, dry_run: bool, force: bool) -> ScaffoldResult:
    """See :func:`stcomp.scaffold.scaffold`."""
    check_name(name)
    request = Request(name, resolve(template), plan_layout(name, dest), force)
    texts = _workspace_texts(request)
    check_target(request.layout.component, force)
    if request.template.needs_node:
        require_node(name)
    parent = None if dry_run else existing_parent(request.layout.component.parent)
    with staging(name, parent) as folder:
        context = variables(name, request.template.name, request.layout)
        component = _render(request.template, context, folder, "component")
        parts = take_parts(component)
        files = _workspace_changes(request, texts, parts, folder)
        declares = bool(files or parts.stack)
        stack = validate(name, request.layout, files, folder / "check") if declares else None
        if stack is not None and stack.get("frontend"):
            require_node(name)
        result = _result(request, component, files, stack)
        if not dry_run:
            result.replaced = commit(component, request.layout.component, files, folder)
    return result


def _workspace_texts(request: Request) -> Texts:
    """The config and Procfile, checked for the name, without the stack's old block."""
    layout, name, force = request.layout, request.name, request.force
    before = {path: read(path) for path in (layout.config, layout.procfile)}
    return Texts(
        before,
        config_without_block(before[layout.config], name, layout, force),
        procfile_without_block(before[layout.procfile], name, layout, force),
    )


def _workspace_changes(
    request: Request, texts: Texts, parts: Parts, folder: Path
) -> dict[Path, str]:
    """The workspace files to write, and their new text."""
    layout = request.layout
    config, procfile = texts.config, texts.procfile
    files: dict[Path, str] = {}
    if layout.new_workspace and (parts.stack or parts.procfile):
        base = _render(only(WORKSPACE), workspace_variables(layout), folder, "workspace")
        config = config or (base / "stcomp.toml").read_text()
        procfile = procfile or (base / "Procfile").read_text()
        gitignore = layout.root / ".gitignore"
        files[gitignore] = merge_lines(read(gitignore), (base / ".gitignore").read_text())
        workflow = layout.root / CI_WORKFLOW
        if not workflow.exists():  # a new workspace gets a CI workflow; an existing one is kept
            files[workflow] = (base / CI_WORKFLOW).read_text()
    if parts.stack:
        config = append_block(config, parts.stack, request.name, request.template.name)
    if parts.procfile:
        procfile = append_block(procfile, parts.procfile, request.name, request.template.name)
    for path, text in ((layout.config, config), (layout.procfile, procfile)):
        if text != texts.before[path]:
            files[path] = text
    return files


def _result(
    request: Request, component: Path, files: dict[Path, str], stack: dict[str, Any] | None
) -> ScaffoldResult:
    target = request.layout.component
    made = sorted(p.relative_to(component) for p in component.rglob("*") if p.is_file())
    updated = [p for p in files if p.exists()]
    created = [target / p for p in made] + [p for p in files if not p.exists()] + updated
    has_tests = (component / "tests").is_dir()
    steps = next_steps(request.name, request.layout, stack, has_tests)
    return ScaffoldResult(request.template.label, created, steps, updated)


def _render(template: Template, context: dict[str, str], staging: Path, what: str) -> Path:
    """Stage ``template`` in ``staging``/``what``-template and render it there; return the
    rendered project folder."""
    staged = stage(template, staging / f"{what}-template")
    return render(staged.path, context, staging / what, staged.verbatim, template.path)


def require_node(name: str) -> None:
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise UsageError(
            f"component '{name}' needs Node.js and npm, which were not found on PATH; "
            "nothing was written",
            hint=NODE_HINT,
        )


def next_steps(
    name: str, layout: Layout, stack: dict[str, Any] | None, has_tests: bool
) -> list[str]:
    """The commands to run next, from the working folder (stcomp finds the workspace above it)."""
    steps: list[str] = []
    here = Path.cwd().resolve()
    if not here.is_relative_to(layout.root):
        steps.append(f"cd {shlex.quote(str(layout.root))}")
        here = layout.root
    if stack is None:
        steps.append(
            f"(the template declares no stack: add [{layout.stack_table(name)}] to"
            f" {layout.config.name} and its process lines to the Procfile)"
        )
    else:
        install = "   # installs the front end's packages first" if stack.get("frontend") else ""
        steps.append(f"stcomp up {name}{install}")
        if stack.get("build"):
            steps += [f"stcomp build {name}", f"stcomp up {name} --release"]
    if has_tests:
        tests = Path(os.path.relpath(layout.component / "tests", here))
        steps.append(f"python -m pytest {shlex.quote(tests.as_posix())}")
    if stack is not None and stack.get("package"):
        steps.append(f"stcomp package {name}   # wheel + sdist, checked, ready to publish")
    return steps

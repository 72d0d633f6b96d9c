"""Rendering a template, without prompts, into a staging folder.

The template is first copied into staging without caches and build output (pip compiles the
installed templates' Python files; a template folder of one's own may hold node_modules), and
the shared layer's files it includes are put into that copy; cookiecutter renders the copy.
The rendered project is the component's folder; its ``.stcomp-scaffold/`` folder holds the
workspace parts (``stack.toml``, ``Procfile``), which are taken out and never copied.
"""

from __future__ import annotations

import fnmatch
import glob
import shlex
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from .layout import Layout
from .names import class_name, npm_name, title
from .templates import SHARED, Template, only

FRAGMENTS = ".stcomp-scaffold"
# Never copied from a template: caches, installed packages, build output.
IGNORED_DIRS = frozenset(
    {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".git", "node_modules", ".next"}
    | {"dist", "out"}  # Vite's and Next.js's build output
)
IGNORED_FILES = ("*.pyc", "*.pyo", "*.tsbuildinfo", "next-env.d.ts", ".DS_Store")


@dataclass(frozen=True)
class Staged:
    """A template's copy in staging, ready for cookiecutter."""

    path: Path
    verbatim: tuple[str, ...]
    """Paths in its project folder to copy without rendering (cookiecutter glob patterns)."""


@dataclass(frozen=True)
class Parts:
    """What a rendered template adds to the workspace: TOML tables and Procfile lines."""

    stack: str
    procfile: str


def variables(name: str, template: str, layout: Layout) -> dict[str, str]:
    """The variables every component template gets (see templates/README.md)."""
    return {
        "name": name,
        "title": title(name),
        "class_name": class_name(name),
        "npm_name": npm_name(name),
        "component_dir": layout.component_dir,
        "component_dir_sh": shlex.quote(layout.component_dir),
        "stack_table": layout.stack_table(name),
        "streamlit_port": str(layout.ports["streamlit"]),
        "component_port": str(layout.ports["component"]),
        "template": template,
    }


def workspace_variables(layout: Layout) -> dict[str, str]:
    """The variables of the template for a new workspace."""
    return {
        "workspace": layout.root.name or "workspace",
        "streamlit_port": str(layout.ports["streamlit"]),
        "component_port": str(layout.ports["component"]),
    }


def ignored(folder: str, names: Iterable[str]) -> set[str]:
    """For ``shutil.copytree``: the names in ``folder`` that are not copied."""
    return {
        name
        for name in names
        if (name in IGNORED_DIRS and Path(folder, name).is_dir())
        or any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED_FILES)
    }


def stage(template: Template, staging: Path) -> Staged:
    """Copy ``template`` into ``staging`` (without what is ``ignored``), with the files it
    includes from the shared layer put into its project folder."""
    shutil.copytree(template.path, staging, ignore=ignored, symlinks=True)
    if not template.include:
        return Staged(staging, ())
    shared, project = only(SHARED), _project_folder(template, staging)
    verbatim = []
    for target, source in template.include.items():
        _include(template, shared.path / source, project, target)
        if any(fnmatch.fnmatch(source, pattern) for pattern in shared.verbatim):
            verbatim.append(glob.escape(target))
    return Staged(staging, tuple(verbatim))


def _include(template: Template, source: Path, project: Path, target: str) -> None:
    """Put the shared ``source`` at ``target`` in the staged ``project`` folder."""
    if not source.is_file():
        raise UsageError(f"template {template.path} includes {source}, which does not exist")
    if (project / target).exists():
        raise UsageError(
            f"template {template.path} has its own {target} and includes it from the shared"
            " layer too",
            hint="delete the template's copy",
        )
    (project / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, project / target)


def _project_folder(template: Template, staged: Path) -> Path:
    """The staged template's project folder, named like ``{{cookiecutter.name}}``."""
    for path in sorted(staged.iterdir()):
        if path.is_dir() and "cookiecutter" in path.name and "{{" in path.name:
            return path
    raise UsageError(
        f"template {template.path} includes files but has no project folder to put them in",
        hint="name its project folder {{cookiecutter.name}}",
    )


def render(
    template_dir: Path,
    context: dict[str, str],
    output: Path,
    verbatim: Iterable[str] = (),
    origin: Path | None = None,
) -> Path:
    """Render a cookiecutter template without prompts; return the rendered project folder.
    Files matching ``verbatim`` (paths in the project folder) are copied, not rendered;
    ``origin`` is the folder that errors name (``template_dir`` may be a staged copy)."""
    import jinja2
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_files

    output.mkdir(parents=True, exist_ok=True)
    try:
        values = _values(template_dir, context, output)
        values["_copy_without_render"] = [*_list(values.get("_copy_without_render")), *verbatim]
        project = generate_files(
            repo_dir=str(template_dir), context={"cookiecutter": values}, output_dir=str(output)
        )
    except (CookiecutterException, jinja2.TemplateError, ValueError, KeyError) as exc:
        raise UsageError(
            f"template {origin or template_dir} failed to render: {exc}; nothing was written",
            hint="check the template's cookiecutter.json and the variables its files use",
        ) from None
    return Path(project)


def _values(template_dir: Path, context: dict[str, str], output: Path) -> dict[str, object]:
    """The template's variables: ours, then its own defaults (which may refer to ours)."""
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import prompt_for_config

    raw = generate_context(str(template_dir / "cookiecutter.json"))
    raw["cookiecutter"] = {**context, **raw["cookiecutter"], **context}
    values: dict[str, object] = prompt_for_config(raw, no_input=True)
    values.update(_template=str(template_dir), _output_dir=str(output), _repo_dir=str(template_dir))
    return values


def _list(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def take_parts(component: Path) -> Parts:
    """Take the workspace parts out of a rendered component."""
    folder = component / FRAGMENTS
    parts = Parts(_read(folder / "stack.toml"), _read(folder / "Procfile"))
    shutil.rmtree(folder, ignore_errors=True)
    return parts


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""

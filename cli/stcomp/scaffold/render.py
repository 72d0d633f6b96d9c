"""Rendering a cookiecutter template, without prompts, into a staging folder.

The rendered project is the component's folder; its ``.stcomp-scaffold/`` folder holds the
workspace parts (``stack.toml``, ``Procfile``), which are taken out and never copied.
"""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from .layout import Layout
from .names import class_name, npm_name, title

FRAGMENTS = ".stcomp-scaffold"


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


def render(template_dir: Path, context: dict[str, str], output: Path) -> Path:
    """Render a cookiecutter template without prompts; return the rendered project folder."""
    import jinja2
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_files

    output.mkdir(parents=True, exist_ok=True)
    try:
        values = _values(template_dir, context, output)
        project = generate_files(
            repo_dir=str(template_dir), context={"cookiecutter": values}, output_dir=str(output)
        )
    except (CookiecutterException, jinja2.TemplateError, ValueError, KeyError) as exc:
        raise UsageError(
            f"template {template_dir} failed to render: {exc}; nothing was written",
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

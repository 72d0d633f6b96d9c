"""``stcomp scaffold``: a new component from a template, added to a workspace (or a new one).

A template is a cookiecutter template folder. Its rendered project is the component's folder;
a ``.stcomp-scaffold/`` folder inside it holds the workspace parts, which are not copied:
``stack.toml`` (the stack's tables) and ``Procfile`` (its process lines). Everything is
rendered and the resulting workspace validated in a staging folder first; then the component
is moved into place and the config, Procfile and .gitignore are written, all or nothing.

Modules, one concept each: ``names`` (what a component may be called), ``templates`` (which
templates there are), ``layout`` (where things go), ``render`` (cookiecutter into staging),
``workspace`` (the blocks added to the config and Procfile), ``commit`` (into place, or
undone), ``pipeline`` (the steps in order). This module stays light: ``stcomp --help`` imports
it for the template list, and the rest loads when a scaffold runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .names import check_name
from .templates import DEFAULT_TEMPLATE

__all__ = ["ScaffoldResult", "check_name", "scaffold"]


@dataclass
class ScaffoldResult:
    template: str
    created: list[Path]
    next_steps: list[str]
    updated: list[Path] = field(default_factory=list)
    """Existing workspace files the new stack was added to (also listed in ``created``)."""
    replaced: Path | None = None
    """With --force: where the folder that was replaced was kept."""


def scaffold(
    name: str,
    *,
    template: str = DEFAULT_TEMPLATE,
    dest: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> ScaffoldResult:
    """Create component ``name`` from ``template`` (a built-in name or a template folder) in
    the workspace at or above ``dest``, or in a new one there."""
    from ..errors import UsageError
    from .pipeline import run

    try:
        return run(name, template, dest, dry_run, force)
    except OSError as exc:  # an unusable --dir, before anything was written
        where = exc.filename or dest or "the workspace"
        raise UsageError(
            f"cannot create component '{name}' in {where}: {exc.strerror or exc}",
            hint="pick a folder you can write to with --dir",
        ) from None

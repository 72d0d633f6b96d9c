"""``stcomp scaffold``: a new component from a template, added to a workspace (or a new one).

A template is a cookiecutter template directory. Its rendered project is the component's folder;
a ``.stcomp-scaffold/`` folder inside it holds the workspace parts, which are not copied:
``stack.toml`` (the stack's tables, under ``[{{ cookiecutter.stack_table }}...]``) and
``Procfile`` (its process lines). Everything is rendered and the resulting workspace validated in
a staging folder first; then the component is moved into place and the config, Procfile and
.gitignore are written atomically. Any failure undoes what was done, so nothing is half-written.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import keyword
import os
import re
import shlex
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .config import find_config, parse_workspace
from .errors import ConfigError, StcompError, UsageError
from .files import write_atomic
from .frontend import NODE_HINT

TEMPLATES = Path(__file__).resolve().with_name("templates")
BUILTIN = ("html", "next", "vite")
WORKSPACE_TEMPLATE = TEMPLATES / "workspace"
FRAGMENTS = ".stcomp-scaffold"
NEW_CONFIG = "stcomp.toml"
NPM_SUFFIX = "-component"
NPM_MAX = 214
# Names a component package must not take: it would shadow them in its app (Streamlit puts the
# app's folder first on sys.path), or collide with the component's files or its app's variables.
RESERVED = frozenset(
    {"app", "tests", "test", "frontend", "setup", "st", "streamlit", "stcomp", "greeting", "clicks"}
)
# Node's built-in modules (module.builtinModules of Node 20): npm refuses them as package names.
# fmt: off
NODE_BUILTINS = frozenset({
    "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants",
    "crypto", "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2",
    "https", "inspector", "module", "net", "os", "path", "perf_hooks", "process", "punycode",
    "querystring", "readline", "repl", "stream", "string_decoder", "sys", "timers", "tls",
    "trace_events", "tty", "url", "util", "v8", "vm", "wasi", "worker_threads", "zlib",
})
# fmt: on
NAME_HINT = "use lowercase letters, digits and '_', starting with a letter, e.g. my_widget"
SAFE_RELATIVE = re.compile(r"[A-Za-z0-9_./-]+")


@dataclass
class ScaffoldResult:
    template: str
    created: list[Path]
    next_steps: list[str]
    updated: list[Path] = field(default_factory=list)
    """Existing workspace files the new stack was added to (also listed in ``created``)."""


@dataclass(frozen=True)
class Layout:
    """Where things go: the workspace (existing or new) and the component folder."""

    root: Path
    config: Path
    procfile: Path
    component: Path
    new_workspace: bool
    ports: dict[str, int]


def scaffold(
    name: str,
    *,
    template: str = "html",
    dest: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> ScaffoldResult:
    """Create component ``name`` from ``template`` (html, next, vite or a template folder)."""
    check_name(name)
    template_dir, label = resolve_template(template)
    layout = plan_layout(name, dest)
    original = {layout.config: _read(layout.config), layout.procfile: _read(layout.procfile)}
    config_text = _without_block(original[layout.config], name, layout, force, what="stack")
    procfile_text = _without_block(original[layout.procfile], name, layout, force, what="Procfile")
    _check_target(layout.component, force)

    staging_parent = None if dry_run else _existing_parent(layout.component.parent)
    with _staging(name, staging_parent) as staging:
        component = render(template_dir, _context(name, label, layout), staging / "render")
        stack_part = _take(component / FRAGMENTS / "stack.toml")
        procfile_part = _take(component / FRAGMENTS / "Procfile")
        shutil.rmtree(component / FRAGMENTS, ignore_errors=True)

        workspace_files: dict[Path, str] = {}
        if layout.new_workspace and (stack_part or procfile_part):
            base = render(WORKSPACE_TEMPLATE, _workspace_context(layout), staging / "workspace")
            config_text = config_text or (base / NEW_CONFIG).read_text()
            procfile_text = procfile_text or (base / "Procfile").read_text()
            gitignore = layout.root / ".gitignore"
            workspace_files[gitignore] = _merge_lines(_read(gitignore), (base / ".gitignore"))
        if stack_part:
            config_text = _append(config_text, stack_part, name, label)
        if procfile_part:
            procfile_text = _append(procfile_text, procfile_part, name, label)
        for path, text in ((layout.config, config_text), (layout.procfile, procfile_text)):
            if text != original[path]:
                workspace_files[path] = text
        stack = (
            validate(name, layout, workspace_files, staging / "check") if workspace_files else None
        )
        if stack is not None and stack.get("frontend"):
            require_node(name)
        has_tests = (component / "tests").is_dir()

        files = sorted(p.relative_to(component) for p in component.rglob("*") if p.is_file())
        created = [layout.component / p for p in files]
        updated = [p for p in workspace_files if p.exists()]
        created += [p for p in workspace_files if not p.exists()] + updated
        steps = next_steps(name, layout, stack, has_tests)
        if not dry_run:
            commit(component, layout.component, workspace_files, staging)
    return ScaffoldResult(label, created, steps, updated)


def check_name(name: str) -> None:
    """A Python identifier, an npm package name, not a keyword, not a module it would shadow."""

    def bad(reason: str, hint: str = NAME_HINT) -> NoReturn:
        raise UsageError(f"invalid component name '{name}': {reason}", hint=hint)

    if not name.isidentifier():
        bad("not a Python identifier")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        bad("a Python keyword")
    if name != name.lower():
        bad("npm package names are lowercase")
    if name.startswith("_"):
        bad("npm package names cannot start with '_'")
    if not name.isascii():
        bad("npm package names are ASCII")
    if len(name) + len(NPM_SUFFIX) > NPM_MAX:
        bad(f"too long for an npm package name ({NPM_MAX} characters)")
    if name in NODE_BUILTINS:
        bad("the name of a Node.js built-in module", hint="pick another name")
    if name in sys.stdlib_module_names:
        bad("it would shadow Python's standard module of that name", hint="pick another name")
    if name in RESERVED:
        bad("reserved: the component's own files or its app use that name", hint="pick another")
    if name in importlib.metadata.packages_distributions():
        bad("it would shadow the installed Python package of that name", hint="pick another name")


def resolve_template(template: str) -> tuple[Path, str]:
    """A built-in template's folder, or a user's own cookiecutter template folder."""
    if template in BUILTIN:
        return TEMPLATES / template, template
    folder = Path(template).expanduser()
    if not (folder / "cookiecutter.json").is_file():
        raise UsageError(
            f"unknown template '{template}'",
            hint=f"use {', '.join(BUILTIN)}, or a folder with a cookiecutter.json",
        )
    return folder.resolve(), str(folder.resolve())


def plan_layout(name: str, dest: Path | None) -> Layout:
    """The workspace at or above ``dest`` (default: $STCOMP_WORKSPACE or the working folder),
    or a new one there; the component goes into ``apps/NAME`` if the workspace has ``apps/``."""
    start = Path(dest or os.environ.get("STCOMP_WORKSPACE") or Path.cwd()).resolve()
    if start.exists() and not start.is_dir():
        raise UsageError(f"--dir {start} is a file", hint="give a folder")
    config = find_config(_existing_parent(start))
    if config is None:
        return Layout(
            start, start / NEW_CONFIG, start / "Procfile", start / name, True, _default_ports()
        )
    workspace = parse_workspace(config)
    root = workspace.root
    if start == root:
        apps = root / "apps"
        component = (apps if apps.is_dir() else root) / name
    else:
        component = start / name
    relative = component.relative_to(root).as_posix()
    if not SAFE_RELATIVE.fullmatch(relative):
        raise UsageError(
            f"cannot scaffold into '{relative}'",
            hint="use a folder whose path has only letters, digits, '_', '.', '/' and '-'",
        )
    if not workspace.procfile_path.resolve().is_relative_to(root):
        raise UsageError(f"{config}: the Procfile must be inside the workspace {root}")
    return Layout(root, config, workspace.procfile_path, component, False, workspace.ports)


def require_node(name: str) -> None:
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise UsageError(
            f"component '{name}' needs Node.js and npm, which were not found on PATH; "
            "nothing was written",
            hint=NODE_HINT,
        )


def render(template_dir: Path, context: dict[str, str], output: Path) -> Path:
    """Render a cookiecutter template without prompts; return the rendered project folder."""
    import jinja2
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.prompt import prompt_for_config

    output.mkdir(parents=True, exist_ok=True)
    try:
        raw = generate_context(str(template_dir / "cookiecutter.json"))
        declared = raw["cookiecutter"]
        # Ours first (so the template's own defaults may refer to them), then the template's.
        raw["cookiecutter"] = {**context, **declared, **context}
        values = prompt_for_config(raw, no_input=True)
        values.update(
            _template=str(template_dir), _output_dir=str(output), _repo_dir=str(template_dir)
        )
        project = generate_files(
            repo_dir=str(template_dir), context={"cookiecutter": values}, output_dir=str(output)
        )
    except (CookiecutterException, jinja2.TemplateError, ValueError, KeyError) as exc:
        raise UsageError(
            f"template {template_dir} failed to render: {exc}; nothing was written",
            hint="check the template's cookiecutter.json and the variables its files use",
        ) from None
    return Path(project)


def validate(
    name: str, layout: Layout, files: dict[Path, str], check: Path
) -> dict[str, Any] | None:
    """Parse the workspace as it will be (copies in ``check``); return the new stack's table."""
    import tomllib

    check.mkdir(parents=True, exist_ok=True)
    config_text = files.get(layout.config, _read(layout.config))
    procfile_text = files.get(layout.procfile, _read(layout.procfile))
    config_copy = check / layout.config.name
    procfile_copy = check / layout.procfile.relative_to(layout.root)
    procfile_copy.parent.mkdir(parents=True, exist_ok=True)
    config_copy.write_text(config_text)
    procfile_copy.write_text(procfile_text)
    try:
        workspace = parse_workspace(config_copy)
    except ConfigError as exc:
        message = exc.message.replace(str(check), str(layout.root))
        raise UsageError(
            f"the new stack would not be valid: {message}; nothing was written", hint=exc.hint
        ) from None
    if name not in workspace.stacks:
        return None
    data = tomllib.loads(config_text)
    table = data if layout.config.name == NEW_CONFIG else data["tool"]["stcomp"]
    stack: dict[str, Any] = table["stacks"][name]
    return stack


def commit(component: Path, target: Path, files: dict[Path, str], staging: Path) -> None:
    """Move the component into place and write the workspace files; undo all on failure.

    The files' previous versions are copied into ``staging`` first, so undoing them is a rename
    (which needs no free space) rather than another write."""
    made_dirs: list[Path] = []
    previous = staging / "previous"
    backups: dict[Path, Path | None] = {}
    moved_away = placed = False
    try:
        for index, path in enumerate(files):
            backups[path] = staging / f"file-{index}" if path.exists() else None
            if path.exists():
                shutil.copy2(path, staging / f"file-{index}")
        for folder in reversed([target.parent, *target.parent.parents]):
            if not folder.exists():
                folder.mkdir()
                made_dirs.append(folder)
        if target.exists():
            os.replace(target, previous)
            moved_away = True
        placed = True
        shutil.move(component, target)
        for path, text in files.items():
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
            write_atomic(path, text, mode)
    except BaseException as exc:
        for path, backup in backups.items():
            with contextlib.suppress(OSError):
                if backup is None:
                    path.unlink(missing_ok=True)
                else:
                    os.replace(backup, path)
        if placed:
            shutil.rmtree(target, ignore_errors=True)
        if moved_away:
            with contextlib.suppress(OSError):
                os.replace(previous, target)
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            raise StcompError(
                f"could not write {exc.filename or target}: {exc.strerror}; nothing was changed"
            ) from None
        raise


def next_steps(
    name: str, layout: Layout, stack: dict[str, Any] | None, has_tests: bool
) -> list[str]:
    """The commands to run next, from the working folder (stcomp finds the workspace above it)."""
    steps: list[str] = []
    here = Path.cwd().resolve()
    if not here.is_relative_to(layout.root):
        steps.append(f"cd {shlex.quote(str(layout.root))}")
        here = layout.root
    tests = Path(os.path.relpath(layout.component / "tests", here))
    if stack is None:
        steps.append(
            f"(the template declares no stack: add [{_stack_table(name, layout)}] to"
            f" {layout.config.name} and its process lines to the Procfile)"
        )
    else:
        install = "   # installs the front end's packages first" if stack.get("frontend") else ""
        steps.append(f"stcomp up {name}{install}")
        if stack.get("build"):
            steps += [f"stcomp build {name}", f"stcomp up {name} --release"]
    if has_tests:
        steps.append(f"python -m pytest {shlex.quote(tests.as_posix())}")
    return steps


# --- helpers -----------------------------------------------------------------------------------


def _context(name: str, label: str, layout: Layout) -> dict[str, str]:
    relative = layout.component.relative_to(layout.root).as_posix()
    return {
        "name": name,
        "title": name.replace("_", " ").title(),
        "class_name": "".join(part.title() for part in name.split("_")),
        "npm_name": name + NPM_SUFFIX,
        "component_dir": relative,
        "component_dir_sh": shlex.quote(relative),
        "stack_table": _stack_table(name, layout),
        "streamlit_port": str(layout.ports["streamlit"]),
        "component_port": str(layout.ports["component"]),
        "template": Path(label).name,
    }


def _workspace_context(layout: Layout) -> dict[str, str]:
    return {
        "workspace": layout.root.name or "workspace",
        "streamlit_port": str(layout.ports["streamlit"]),
        "component_port": str(layout.ports["component"]),
    }


def _default_ports() -> dict[str, int]:
    from .config import DEFAULT_PORTS

    return dict(DEFAULT_PORTS)


def _stack_table(name: str, layout: Layout) -> str:
    prefix = "" if layout.config.name == NEW_CONFIG else "tool.stcomp."
    return f"{prefix}stacks.{name}"


def _begin(name: str) -> str:
    return f"# stcomp scaffold: {name}"


def _end(name: str) -> str:
    return f"# end of stcomp scaffold: {name}"


def _block_pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"\n?^{re.escape(_begin(name))}\b.*?^{re.escape(_end(name))}\n?", re.DOTALL | re.MULTILINE
    )


def _append(text: str, part: str, name: str, label: str) -> str:
    """Add a delimited block (so that ``--force`` can replace it later)."""
    if text and not text.endswith("\n"):
        text += "\n"
    header = f"{_begin(name)} ({Path(label).name} template; 'stcomp scaffold --force' replaces it)"
    return f"{text}\n{header}\n{part.strip()}\n{_end(name)}\n"


def _without_block(text: str, name: str, layout: Layout, force: bool, *, what: str) -> str:
    """The text without ``name``'s scaffolded block (with --force), after checking that nothing
    else there uses the name."""
    pattern = _block_pattern(name)
    has_block = pattern.search(text) is not None
    rest = pattern.sub("", text) if force else text
    if what == "stack":
        clash = _defines_stack(rest, name, layout)
    else:
        entries = re.findall(r"^([A-Za-z0-9_-]+):", rest, re.MULTILINE)
        clash = any(e in (name, name + NPM_SUFFIX) for e in entries)
    if clash:
        if has_block and not force:
            raise UsageError(
                f"stack '{name}' already exists in {layout.root}",
                hint="use --force to replace it (its folder too)",
            )
        where = layout.config if what == "stack" else layout.procfile
        raise UsageError(
            f"'{name}' is already used by {where} (not made by stcomp scaffold)",
            hint="pick another name, or remove it there first",
        )
    return rest


def _defines_stack(text: str, name: str, layout: Layout) -> bool:
    header = re.escape(_stack_table(name, layout))
    return re.search(rf"^\s*\[\s*{header}\s*[.\]]", text, re.MULTILINE) is not None


def _check_target(target: Path, force: bool) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{target} exists and is not a folder", hint="pick another name")
    if target.exists() and not force:
        raise UsageError(
            f"{target} already exists; nothing was written",
            hint="pick another name, or use --force to replace it",
        )


def _existing_parent(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def _take(path: Path) -> str:
    text = _read(path)
    path.unlink(missing_ok=True)
    return text


def _merge_lines(text: str, extra: Path) -> str:
    """``text`` plus the lines of ``extra`` it does not have yet."""
    have = set(text.splitlines())
    missing = [line for line in extra.read_text().splitlines() if line and line not in have]
    if not missing:
        return text
    if text and not text.endswith("\n"):
        text += "\n"
    return text + "\n".join(missing) + "\n"


@contextlib.contextmanager
def _staging(name: str, parent: Path | None) -> Iterator[Path]:
    """A private folder for rendering; next to the target (same file system, so the final move
    is a rename), or in the system's temp folder for a dry run."""
    folder = Path(tempfile.mkdtemp(prefix=f".stcomp-scaffold-{name}-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)

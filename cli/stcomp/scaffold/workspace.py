"""The workspace files a scaffold edits: the stack config, the Procfile and .gitignore.

A scaffolded stack is appended to the config and the Procfile as a block between two comment
lines, ``# stcomp scaffold: NAME`` and ``# end of stcomp scaffold: NAME``, so that ``--force``
can find and replace it later. Nothing outside such a block is ever changed; a name that is
used outside one is refused.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from ..config import parse_workspace
from ..errors import ConfigError, UsageError
from .layout import NEW_CONFIG, Layout
from .names import npm_name

PROCFILE_ENTRY = re.compile(r"^([A-Za-z0-9_-]+):", re.MULTILINE)


def begin(name: str) -> str:
    return f"# stcomp scaffold: {name}"


def end(name: str) -> str:
    return f"# end of stcomp scaffold: {name}"


def block_pattern(name: str) -> re.Pattern[str]:
    """``name``'s block, with the blank line before it and its last newline."""
    return re.compile(
        rf"\n?^{re.escape(begin(name))}\b.*?^{re.escape(end(name))}\n?", re.DOTALL | re.MULTILINE
    )


def append_block(text: str, part: str, name: str, template: str) -> str:
    """``text`` with ``part`` appended as ``name``'s block, after a blank line."""
    if text and not text.endswith("\n"):
        text += "\n"
    header = f"{begin(name)} ({template} template; 'stcomp scaffold --force' replaces it)"
    return f"{text}\n{header}\n{part.strip()}\n{end(name)}\n"


def defines_stack(text: str, table: str) -> bool:
    """Whether the TOML ``text`` has table ``table`` or one of its sub-tables."""
    return re.search(rf"^\s*\[\s*{re.escape(table)}\s*[.\]]", text, re.MULTILINE) is not None


def uses_process(text: str, name: str) -> bool:
    """Whether the Procfile ``text`` has an entry for ``name`` or its front end."""
    return any(entry in (name, npm_name(name)) for entry in PROCFILE_ENTRY.findall(text))


def config_without_block(text: str, name: str, layout: Layout, force: bool) -> str:
    """The config text to add ``name``'s stack to (its old block dropped with ``force``)."""
    table = layout.stack_table(name)
    used = _Use(lambda rest: defines_stack(rest, table), layout.config, layout.root)
    return _without_block(text, name, force, used)


def procfile_without_block(text: str, name: str, layout: Layout, force: bool) -> str:
    """The Procfile text to add ``name``'s processes to (its old block dropped with ``force``)."""
    used = _Use(lambda rest: uses_process(rest, name), layout.procfile, layout.root)
    return _without_block(text, name, force, used)


class _Use(NamedTuple):
    """How to tell that a file's text uses the name, and where that file is."""

    clashes: Callable[[str], bool]
    where: Path
    root: Path


def _without_block(text: str, name: str, force: bool, use: _Use) -> str:
    pattern = block_pattern(name)
    has_block = pattern.search(text) is not None
    rest = pattern.sub("", text) if force else text
    if not use.clashes(rest):
        return rest
    if has_block and not force:
        raise UsageError(
            f"stack '{name}' already exists in {use.root}",
            hint="use --force to replace it (its folder too)",
        )
    raise UsageError(
        f"'{name}' is already used by {use.where} (not made by stcomp scaffold)",
        hint="pick another name, or remove it there first",
    )


def merge_lines(text: str, extra: str) -> str:
    """``text`` plus the non-empty lines of ``extra`` it does not have yet (for .gitignore)."""
    have = set(text.splitlines())
    missing = [line for line in extra.splitlines() if line and line not in have]
    if not missing:
        return text
    if text and not text.endswith("\n"):
        text += "\n"
    return text + "\n".join(missing) + "\n"


def read(path: Path) -> str:
    """A file's text, or "" when it does not exist."""
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def validate(
    name: str, layout: Layout, files: dict[Path, str], check: Path
) -> dict[str, Any] | None:
    """Parse the workspace as it will be (copies in ``check``); return the new stack's table,
    or None when the template declares no stack."""
    config_text = files.get(layout.config, read(layout.config))
    config_copy = check / layout.config.name
    procfile_copy = check / layout.procfile.relative_to(layout.root)
    procfile_copy.parent.mkdir(parents=True, exist_ok=True)
    config_copy.write_text(config_text)
    procfile_copy.write_text(files.get(layout.procfile, read(layout.procfile)))
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

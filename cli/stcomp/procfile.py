"""Procfile and .env parsing, with honcho's own parsers so `honcho start` reads them alike."""

from __future__ import annotations

from pathlib import Path

from honcho.environ import parse, parse_procfile

from .errors import ConfigError


def read_procfile(path: Path) -> dict[str, str]:
    """Process name -> shell command."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise ConfigError(
            f"no Procfile at {path}", hint="create it with one 'name: command' line per process"
        ) from None
    processes = dict(parse_procfile(text).processes)
    if not processes:
        raise ConfigError(f"{path}: no 'name: command' lines")
    return processes


def read_env_file(path: Path) -> dict[str, str]:
    """Variables of a .env file; an absent file is empty."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    return {key: str(value) for key, value in parse(text).items()}

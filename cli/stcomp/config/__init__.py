"""Stack definitions: the data model (model.py), its file format (schema.py), the reading of a
workspace's file into the model (parse.py), where that file is (locate.py) and the checked
result kept between commands (cache.py).

The names below are loaded on first use (PEP 562): ``stcomp down`` reads the run directory
from the cache (locate.py, cache.py) before it asks the supervisor to stop, and importing this
package must not import the model on that way (about 20 ms: dataclasses, probes)."""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .locate import CONFIG_FILES, WORKSPACE_ENV, find_config
    from .model import (
        DEFAULT_GRACE,
        DEFAULT_PORTS,
        DEFAULT_TIMEOUT,
        HttpCheck,
        Login,
        Requirement,
        Service,
        Stack,
        Workspace,
    )
    from .parse import load_workspace, parse_workspace

__all__ = [
    "CONFIG_FILES",
    "DEFAULT_GRACE",
    "DEFAULT_PORTS",
    "DEFAULT_TIMEOUT",
    "WORKSPACE_ENV",
    "HttpCheck",
    "Login",
    "Requirement",
    "Service",
    "Stack",
    "Workspace",
    "find_config",
    "load_workspace",
    "parse_workspace",
]


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    for home in ("locate", "model", "parse"):  # the first that has it is its home
        module = importlib.import_module(f".{home}", __name__)
        if hasattr(module, name):
            globals()[name] = value = getattr(module, name)
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Stack definitions: the data model (model.py), its file format (schema.py) and the reading
of a workspace's file into the model (parse.py)."""

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
from .parse import CONFIG_FILES, WORKSPACE_ENV, find_config, load_workspace, parse_workspace

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

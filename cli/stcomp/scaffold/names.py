"""Component names: one name is a Python package, an npm package, a stack and a Procfile entry.

So it must be a lowercase ASCII identifier that is no keyword, and it must not shadow anything
its app imports (Streamlit puts the app's folder first on ``sys.path``).
"""

from __future__ import annotations

import keyword
import sys
from collections.abc import Callable
from typing import NamedTuple

from ..errors import UsageError

NPM_SUFFIX = "-component"
NPM_MAX = 214
# Names a component package must not take: it would shadow them in its app, or collide with the
# component's own files or its app's variables.
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
OTHER_NAME = "pick another name"


class Rule(NamedTuple):
    broken: Callable[[str], bool]
    reason: str
    hint: str = NAME_HINT


def _installed(name: str) -> bool:
    import importlib.metadata  # slow to import; only a scaffold needs it

    from ..pythonpkg import installed_from

    dists = importlib.metadata.packages_distributions().get(name, [])
    # An editable install whose folder is gone (a deleted component) shadows nothing.
    return any((folder := installed_from(d)) is None or folder.exists() for d in dists)


# In order: the first broken rule is the one reported.
RULES = (
    Rule(lambda n: not n.isidentifier(), "not a Python identifier"),
    Rule(lambda n: keyword.iskeyword(n) or keyword.issoftkeyword(n), "a Python keyword"),
    Rule(lambda n: n != n.lower(), "npm package names are lowercase"),
    Rule(lambda n: n.startswith("_"), "npm package names cannot start with '_'"),
    Rule(lambda n: not n.isascii(), "npm package names are ASCII"),
    Rule(
        lambda n: len(npm_name(n)) > NPM_MAX,
        f"too long for an npm package name ({NPM_MAX} characters)",
    ),
    Rule(lambda n: n in NODE_BUILTINS, "the name of a Node.js built-in module", OTHER_NAME),
    Rule(
        lambda n: n in sys.stdlib_module_names,
        "it would shadow Python's standard module of that name",
        OTHER_NAME,
    ),
    Rule(
        lambda n: n in RESERVED,
        "reserved: the component's own files or its app use that name",
        "pick another",
    ),
    Rule(_installed, "it would shadow the installed Python package of that name", OTHER_NAME),
)


def check_name(name: str) -> None:
    """Raise UsageError with the first rule ``name`` breaks."""
    for rule in RULES:
        if rule.broken(name):
            raise UsageError(f"invalid component name '{name}': {rule.reason}", hint=rule.hint)


def npm_name(name: str) -> str:
    """The front end's npm package (also its Procfile entry): ``my_widget-component``."""
    return name + NPM_SUFFIX


def title(name: str) -> str:
    """For headings: ``My Widget``."""
    return name.replace("_", " ").title()


def class_name(name: str) -> str:
    """For code: ``MyWidget``."""
    return "".join(part.title() for part in name.split("_"))

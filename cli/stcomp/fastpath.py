"""``stcomp up`` and ``stcomp down`` without typer, for their plain spellings.

Starting a stack is measured against starting its slowest service by hand, and typer (with the
click it vendors) costs about 35 ms of imports before the first service could start. So the
console script parses these two commands here when their arguments are the plain ones
(``up STACK [-d] [--release] [-p NAME=N]... [--run-dir PATH]``, ``down [STACK] [--run-dir
PATH]``) and runs them through ``startstop``, as the typer commands do. Anything else (help, an
unknown option, a missing value) returns None, and the typer CLI handles it with its own
messages. argparse is not used: its errors would differ from the CLI's, and it costs imports too.
"""

from __future__ import annotations

from pathlib import Path

from .errors import EXIT_INTERRUPTED, StcompError

FLAGS = {"-d": "detach", "--detach": "detach", "--release": "release"}
VALUED = {"-p": "port", "--port": "port", "--run-dir": "run_dir"}


class Parsed:
    """A plain class: a dataclass would import dataclasses and inspect (about 8 ms) on the way
    to ``down``'s stop request, which needs nothing else of them (startstop.stop)."""

    def __init__(
        self,
        command: str,
        stack: str | None = None,
        *,
        detach: bool = False,
        release: bool = False,
        ports: list[str] | None = None,
        run_dir: Path | None = None,
    ) -> None:
        self.command = command
        self.stack = stack
        self.detach = detach
        self.release = release
        self.ports = list(ports or [])
        self.run_dir = run_dir

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Parsed) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Parsed({vars(self)!r})"


def parse(argv: list[str]) -> Parsed | None:
    """The plain spelling of ``up`` or ``down`` in ``argv`` (without the program name)."""
    if not argv or argv[0] not in ("up", "down"):
        return None
    parsed = Parsed(argv[0])
    rest = iter(argv[1:])
    for arg in rest:
        name, _, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if arg in FLAGS and parsed.command == "up":
            setattr(parsed, FLAGS[arg], True)
        elif name in VALUED and (parsed.command == "up" or VALUED[name] == "run_dir"):
            value = inline or next(rest, None)
            if not value or value.startswith("-"):
                return None
            if VALUED[name] == "port":
                parsed.ports.append(value)
            else:
                parsed.run_dir = Path(value)
        elif arg.startswith("-") or parsed.stack is not None:
            return None
        else:
            parsed.stack = arg
    if parsed.command == "up" and parsed.stack is None:
        return None
    return parsed


def run(argv: list[str]) -> int | None:
    """Run ``argv`` if it is a plain ``up`` or ``down``: its exit code; else None."""
    parsed = parse(argv)
    if parsed is None:
        return None
    from . import startstop

    try:
        if parsed.command == "up":
            assert parsed.stack is not None
            startstop.start(
                parsed.stack,
                detach=parsed.detach,
                release=parsed.release,
                ports=parsed.ports,
                run_dir=parsed.run_dir,
            )
            return 0
        return startstop.stop(parsed.stack, parsed.run_dir)
    except StcompError as exc:
        from .view import print_error

        print_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED

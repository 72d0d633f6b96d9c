"""The console script's entry point. It puts the Ctrl-C handler in place before anything else
is imported, and remembers an interrupt even where a library swallows the KeyboardInterrupt, so
that a Ctrl-C during the CLI's own imports never lets a stack come up anyway."""

from __future__ import annotations

import signal
from types import FrameType

from .interrupt import interrupted


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    interrupted.set()
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGINT, _on_interrupt)
    import os
    import sys

    if sys.argv[1:2] in (["up"], ["down"]):  # the plain spellings skip typer (fastpath.py)
        from .fastpath import run as run_fast

        code = run_fast(sys.argv[1:])
        if code is not None:
            # Done: skip the interpreter's teardown (freeing every module, ~15 ms). Nothing of
            # ours runs at exit: the kernel releases the locks, the supervisor is its own process.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    from .cli import main as run

    run()

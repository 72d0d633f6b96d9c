"""The detached supervisor: ``python -m stcomp.daemon STACK ...``, started by ``stcomp up -d``.

It runs the same supervisor as a foreground ``stcomp up``, writing progress to the state file
only; SIGTERM (from ``stcomp down``) tears the stack down.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import parse_workspace
from .errors import Interrupted, StcompError
from .plan import make_plan, parse_port_overrides
from .runner import run_attached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stcomp-daemon")
    parser.add_argument("stack")
    parser.add_argument("--workspace", required=True, type=Path)
    parser.add_argument("--run-dir", required=True, type=Path)
    parser.add_argument("--release", action="store_true")
    parser.add_argument("--port", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        workspace = parse_workspace(args.workspace, run_dir=args.run_dir)
        overrides = parse_port_overrides(args.port, workspace.ports)
        plan = make_plan(workspace, args.stack, release=args.release, port_overrides=overrides)
        run_attached(plan)
    except Interrupted:
        return 0
    except StcompError as exc:
        print(f"stcomp daemon: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())

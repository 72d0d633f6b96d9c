"""How a stack's services share the CPU while it starts: the slowest one first.

A stack is ready when its slowest service is, so that one should not get an equal share with
services that are ready in a fraction of its time. On Linux with autogroup scheduling (the
default of most distributions, and of these machines) CPU time is shared between sessions, not
processes: with every service in a session of its own, ``next dev`` compiling on both cores of
a small machine gets one share against the identity provider, the API, Streamlit and stcomp's
own processes each. So the background supervisor of ``up -d``:

- starts the stack's slowest service first, in a session of its own;
- starts the others in its own session, where they and the supervisor have one share together.

Measured by hand on auth0 with two cores (``next dev`` alone to its first page: about 3.1 s):
all four in sessions of their own 3.47 s; the three fast ones in one session 3.30 s.

"Slowest" is what the stack's last start measured (``timings.json`` in its run directory).
With no such record (a first start, a single service, or ``stcomp check``'s new run directory)
every service has a session of its own, as under the foreground supervisor always (it lives in
the terminal's session, which services must not join: a background process group that reads
the terminal is stopped). Nothing else depends on sessions: services are stopped by process
group and run tag.
"""

from __future__ import annotations

import contextlib
import json

from .plan import Plan
from .state import RunRecord, RunState


def slowest(plan: Plan) -> str | None:
    """The service that took longest to be ready at this stack's last start, if known."""
    if len(plan.stack.services) < 2:
        return None  # nothing to put first
    try:
        took = json.loads(plan.run_dir.timings(plan.stack.name).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(took, dict):
        return None
    known = {
        name: float(took[name])
        for name in plan.stack.services
        if isinstance(took.get(name), int | float)
    }
    if len(known) < len(plan.stack.services):
        return None
    return max(known, key=known.__getitem__)


def sharing(plan: Plan, first: str | None) -> frozenset[str]:
    """The services that start in the background supervisor's session (all but ``first``)."""
    return frozenset(n for n in plan.stack.services if n != first) if first else frozenset()


def remember(plan: Plan, record: RunRecord) -> None:
    """Keep how long each service took, once the whole stack is ready; best effort."""
    if record.state != RunState.READY:
        return
    took = {n: s.ready_after for n, s in record.services.items() if s.ready_after is not None}
    from .files import write_atomic

    with contextlib.suppress(OSError):
        write_atomic(plan.run_dir.timings(plan.stack.name), json.dumps(took))

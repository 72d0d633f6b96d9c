"""How a stack's services share the CPU while it starts: the slowest one first.

A stack is ready when its slowest service is, so that one should not get an equal share with
services that are ready in a fraction of its time. On Linux with autogroup scheduling (the
default of most distributions, and of these machines) CPU time is shared between sessions, not
processes: with every service in a session of its own, ``next dev`` compiling on both cores of
a small machine gets one share against the identity provider, the API, Streamlit and stcomp's
own processes each. So the background supervisor of ``up -d``:

- starts the stack's slowest service first, in a session of its own;
- starts the others in its own session, where they and the supervisor have one share together.

While the services of that shared session start, the session gives way: its CPU weight (its
autogroup's nice value) is lowered, so that the slowest service gets the cores it can use and
the others the rest; once they are all ready, or the start ends, the weight is restored, since
then they are a running app that must answer at once (``GiveWay``).

Measured by hand on auth0 with two cores (``next dev`` alone to its first page: about 3.1 s):
all four in sessions of their own 3.47 s; the three fast ones in one session 3.30 s. Later, in
one interleaved run of 6 rounds (``next dev`` alone 2.45 s): the three in one session 1.13 x
that; that session at nice 10 1.07 x, at nice 19 1.05 x.

"Slowest" is what the stack's last start measured (``timings.json`` in its run directory).
With no such record (a first start, a single service, or ``stcomp check``'s new run directory)
every service has a session of its own, as under the foreground supervisor always (it lives in
the terminal's session, which services must not join: a background process group that reads
the terminal is stopped). Nothing else depends on sessions: services are stopped by process
group and run tag.
"""

from __future__ import annotations

import contextlib
import errno
import json
import threading
import time
from collections.abc import Callable, Collection

from .plan import Plan
from .state import RunRecord, RunState, ServiceState

GIVE_WAY_NICE = 19
"""The shared session's nice value while its services start: the lowest weight, so that they
use what the slowest service leaves. They are not starved: the slowest service uses about 1.5
of the 2 cores while it starts (``next dev``), and they were all ready within 1.3 s of its 2.5 s.
In bench/bench_startup.py, auth0's ``up -d`` against ``next dev`` alone: 1.10 at nice 10, 1.06 at
19. Autogroups weigh only the sessions of one cgroup (the root one); where a desktop puts each
app in a cgroup of its own, this changes nothing elsewhere."""

AUTOGROUP = "/proc/self/autogroup"
"""Linux's knob for the CPU weight of this process's session (sched(7), "autogroup"). Anyone
may raise it and set it back to 0; lowering it below 0 needs privilege. The kernel accepts one
change every 100 ms system-wide from unprivileged callers, and says EAGAIN to the others."""


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


def set_session_nice(nice: int) -> None:
    """Set the CPU weight of this process's session (its autogroup). Raises OSError."""
    with open(AUTOGROUP, "w") as knob:
        knob.write(str(nice))


class GiveWay:
    """Lowers the weight of the background supervisor's session while the services in it start
    (``begin``, before they are launched), and restores it once ``observe`` sees them all ready,
    or the start over (ready, failed or stopping). Best effort: where the knob is missing or
    refused, nothing changes; a restore refused by the rate limit is retried until it holds,
    on a thread of its own so that the supervisor is not held up."""

    RETRY_EVERY = 0.11  # just past the kernel's 100 ms
    RETRIES = 100

    def __init__(
        self,
        sharing: Collection[str],
        *,
        set_nice: Callable[[int], None] = set_session_nice,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.sharing = frozenset(sharing)
        self.set_nice = set_nice
        self.sleep = sleep
        self.lowered = False

    def begin(self) -> None:
        if not self.sharing:
            return  # every service has a session of its own: nobody to give way
        try:
            self.set_nice(GIVE_WAY_NICE)
        except OSError:
            return  # no autogroup here, or the rate limit: start as usual
        self.lowered = True

    def observe(self, record: RunRecord) -> None:
        """Called with every change of the run's state."""
        if not self.lowered:
            return
        starting = record.state == RunState.STARTING
        ours = [record.services[n].state for n in self.sharing if n in record.services]
        if starting and not all(s == ServiceState.READY for s in ours):
            return
        self.lowered = False
        if not self._restore_once():
            threading.Thread(target=self._restore, name="stcomp-give-way", daemon=True).start()

    def _restore_once(self) -> bool:
        """True when restored, or when it never can be (then nothing is left to do)."""
        try:
            self.set_nice(0)
        except OSError as exc:
            return exc.errno != errno.EAGAIN
        return True

    def _restore(self) -> None:
        for _ in range(self.RETRIES):
            self.sleep(self.RETRY_EVERY)
            if self._restore_once():
                return

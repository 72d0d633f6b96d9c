"""Which service starts first and on its own: the slowest of the stack's last start."""

from __future__ import annotations

import errno
import json
import threading
from pathlib import Path

import pytest

from stcomp.runner import state_writer
from stcomp.scheduling import GIVE_WAY_NICE, GiveWay, remember, sharing, slowest
from stcomp.state import RunState, ServiceState

from .fakes import FakeClock, FakeWorld, chain_plan
from .test_supervisor import make


def test_no_record_means_no_slowest_and_nobody_shares(tmp_path: Path) -> None:
    plan = chain_plan(tmp_path)
    assert slowest(plan) is None
    assert sharing(plan, None) == frozenset()


def test_the_last_start_names_the_slowest(tmp_path: Path) -> None:
    plan = chain_plan(tmp_path)
    sup = make(
        tmp_path, FakeWorld(FakeClock(), ready_after={"a": 0.1, "b": 2.0, "c": 0.3, "d": 0.2})
    )
    sup.start()
    remember(plan, sup.record)
    assert slowest(plan) == "b"
    assert sharing(plan, "b") == {"a", "c", "d"}


def test_only_a_ready_stack_is_remembered_and_a_partial_record_is_not_used(
    tmp_path: Path,
) -> None:
    plan = chain_plan(tmp_path)
    sup = make(tmp_path, FakeWorld(FakeClock(), ready_after=dict.fromkeys("abcd", 0.1)))
    sup.start()
    sup.record.state = RunState.STARTING
    remember(plan, sup.record)
    assert not plan.run_dir.timings("chain").exists()
    plan.run_dir.timings("chain").parent.mkdir(parents=True, exist_ok=True)
    plan.run_dir.timings("chain").write_text(json.dumps({"a": 1.0, "b": 2.0}))  # c, d unknown
    assert slowest(plan) is None
    plan.run_dir.timings("chain").write_text("not json")
    assert slowest(plan) is None


def test_the_supervisor_starts_the_sharing_services_in_its_session(tmp_path: Path) -> None:
    world = FakeWorld(FakeClock(), ready_after=dict.fromkeys("abcd", 0.1))
    sessions: dict[str, bool] = {}

    def launcher(command: str, **options: object) -> object:
        sessions[Path(str(options["log_path"])).stem] = bool(options["own_session"])
        return world.launcher(command, **options)  # type: ignore[arg-type]

    make(tmp_path, world, launcher=launcher, sharing=frozenset({"a", "c"})).start()
    assert sessions == {"a": False, "b": True, "c": False, "d": True}


def test_the_start_is_remembered_not_a_later_change(tmp_path: Path) -> None:
    plan = chain_plan(tmp_path)
    sup = make(tmp_path, FakeWorld(FakeClock(), ready_after=dict.fromkeys("abcd", 0.1)))
    sup.start()
    changed = state_writer(plan, lambda record: None)
    changed(sup.record)
    assert slowest(plan) is not None
    first = plan.run_dir.timings("chain").read_text()
    sup.record.services["a"].ready_after = 99.0  # a restart, later: not a start
    changed(sup.record)
    assert plan.run_dir.timings("chain").read_text() == first


class Knob:
    """A fake of the session's CPU weight: records each value set, with the services' states
    at that moment; refuses with the errors it is given, one per call, first."""

    def __init__(self, refusals: list[int] | None = None) -> None:
        self.refusals = list(refusals or [])
        self.values: list[int] = []
        self.record_states: list[dict[str, ServiceState]] = []
        self.watched: object = None
        self.done = threading.Event()

    def set_nice(self, nice: int) -> None:
        if self.refusals:
            raise OSError(self.refusals.pop(0), "refused")
        self.values.append(nice)
        record = getattr(self.watched, "record", None)
        if record is not None:
            self.record_states.append({n: s.state for n, s in record.services.items()})
        if nice == 0:
            self.done.set()


def test_the_shared_session_gives_way_until_its_services_are_ready(tmp_path: Path) -> None:
    knob = Knob()
    give_way = GiveWay({"a", "c"}, set_nice=knob.set_nice)
    world = FakeWorld(FakeClock(), ready_after={"a": 0.1, "b": 0.2, "c": 0.3, "d": 5.0})
    give_way.begin()
    assert knob.values == [GIVE_WAY_NICE]
    sup = make(tmp_path, world, on_change=give_way.observe, sharing=frozenset({"a", "c"}))
    knob.watched = sup
    sup.start()
    assert knob.values == [GIVE_WAY_NICE, 0]  # restored once, not again at later changes
    when = knob.record_states[-1]
    assert when["a"] == when["c"] == ServiceState.READY
    assert when["d"] != ServiceState.READY  # before the stack is: d takes 5 s


def test_a_failed_start_restores_the_weight(tmp_path: Path) -> None:
    knob = Knob()
    give_way = GiveWay({"a", "b"}, set_nice=knob.set_nice)
    give_way.begin()
    record = make(tmp_path, FakeWorld(FakeClock(), ready_after={})).record
    give_way.observe(record)  # starting, a and b not ready: nothing yet
    assert knob.values == [GIVE_WAY_NICE]
    record.state = RunState.FAILED
    give_way.observe(record)
    assert knob.values == [GIVE_WAY_NICE, 0]


def test_nobody_to_give_way_to_or_a_refused_knob_changes_nothing(tmp_path: Path) -> None:
    record = make(tmp_path, FakeWorld(FakeClock(), ready_after={})).record
    record.state = RunState.READY
    alone = Knob()
    GiveWay(set(), set_nice=alone.set_nice).begin()
    assert alone.values == []
    refused = Knob(refusals=[errno.EAGAIN])  # the kernel's rate limit, or no autogroup at all
    give_way = GiveWay({"a"}, set_nice=refused.set_nice)
    give_way.begin()
    give_way.observe(record)
    assert refused.values == []  # never lowered, so never restored


@pytest.mark.parametrize("refusals", [[errno.EAGAIN], [errno.EAGAIN, errno.EAGAIN]])
def test_a_restore_refused_by_the_rate_limit_is_retried_until_it_holds(
    tmp_path: Path, refusals: list[int]
) -> None:
    knob = Knob()
    naps: list[float] = []
    give_way = GiveWay({"a"}, set_nice=knob.set_nice, sleep=naps.append)
    give_way.begin()
    knob.refusals = list(refusals)
    record = make(tmp_path, FakeWorld(FakeClock(), ready_after={})).record
    record.state = RunState.READY
    give_way.observe(record)  # refused: retried on a thread of its own
    assert knob.done.wait(5)
    assert knob.values == [GIVE_WAY_NICE, 0]
    assert naps == [GiveWay.RETRY_EVERY] * len(refusals)

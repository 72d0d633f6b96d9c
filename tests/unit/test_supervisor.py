"""Start-up order, failure handling and teardown order, with a fake clock and fake processes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from stcomp.errors import Interrupted, ServiceFailed
from stcomp.supervisor import Supervisor

from .fakes import FakeClock, FakeWorld, chain_plan


def make(tmp_path: Path, world: FakeWorld, **overrides: object) -> Supervisor:
    plan = chain_plan(tmp_path)
    options: dict[str, object] = {
        "launcher": world.launcher,
        "probe": world.prober(plan),
        "stopper": world.stopper,
        "sweeper": lambda run_id: [],
        "ports_left": lambda ports: [],
        "clock": world.clock,
        "sleep": world.clock.sleep,
        "threaded_probes": False,
        "port_open": lambda port: True,
        "foreign": lambda port, own: None,
        "members": lambda handle: [handle.pid],
    }
    return Supervisor(plan, **{**options, **overrides})  # type: ignore[arg-type]


def test_each_service_starts_once_its_needs_are_ready(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after={"a": 1.0, "b": 2.0, "c": 0.5, "d": 0.2})
    sup = make(tmp_path, world)
    sup.start()
    started = dict(world.launched)
    assert started["a"] == 0.0
    # b and c need only a: both start together, as soon as a is ready (one poll later at most)
    assert started["b"] == started["c"]
    assert 1.0 <= started["b"] <= 1.0 + sup.interval + 1e-9
    # d needs b and c: it waits for the slower one (b, 2 s after its start)
    assert started["b"] + 2.0 <= started["d"] <= started["b"] + 2.0 + 2 * sup.interval
    assert sup.record.state == "ready"
    assert all(s.state == "ready" for s in sup.record.services.values())
    assert sup.record.services["d"].ready_after == pytest.approx(0.2, abs=sup.interval)


def test_readiness_is_noticed_within_one_poll_interval(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after={"a": 0.33, "b": 0.0, "c": 0.0, "d": 0.0})
    sup = make(tmp_path, world)
    sup.start()
    assert sup.interval <= 0.1
    assert 0.33 <= sup.record.services["a"].ready_after <= 0.33 + sup.interval


def test_teardown_runs_in_reverse_dependency_order(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after=dict.fromkeys("abcd", 0.1))
    sup = make(tmp_path, world)
    sup.start()
    sup.stop()
    order = [sorted(world.name_of(pgid) for pgid in batch) for batch in world.stopped]
    assert order == [["d"], ["b", "c"], ["a"]]
    assert all(s.state == "stopped" for s in sup.record.services.values())
    assert sup.record.state == "stopped"


def test_a_service_that_exits_at_start_fails_the_run_and_stops_the_rest(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after={"a": 0.1, "c": 5.0}, crash_at_start={"b": 3})
    sup = make(tmp_path, world)
    log = Path(sup.record.services["b"].log)
    log.parent.mkdir(parents=True, exist_ok=True)
    with pytest.raises(ServiceFailed) as failure:
        sup.start()
    assert failure.value.service == "b"
    assert "exited with code 3" in failure.value.reason
    assert sup.record.services["b"].state == "exited"
    assert sup.record.state == "failed"
    stopped = {world.name_of(pgid) for batch in world.stopped for pgid in batch}
    assert stopped == {"a", "b", "c"}  # d never started
    assert "d" not in dict(world.launched)


def test_a_service_that_never_becomes_ready_times_out(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after={"a": 0.1, "b": 0.1})  # c never ready
    sup = make(tmp_path, world)
    with pytest.raises(ServiceFailed) as failure:
        sup.start()
    assert failure.value.service == "c"
    assert "was not ready after 10 s" in failure.value.reason
    assert clock.now == pytest.approx(10.0, abs=0.1)
    assert sup.record.services["c"].state == "failed"
    assert sup.record.services["d"].state == "pending"


def test_a_stop_request_mid_startup_interrupts_and_tears_down(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after={"a": 0.1})
    stop = threading.Event()

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.now >= 1.0:
            stop.set()

    sup = make(tmp_path, world, sleep=sleep, stop_event=stop)
    with pytest.raises(Interrupted):
        sup.start()
    stopped = {world.name_of(pgid) for batch in world.stopped for pgid in batch}
    assert stopped == {"a", "b", "c"}
    assert sup.record.state == "stopped"


def test_watch_fails_when_a_running_service_exits(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after=dict.fromkeys("abcd", 0.0))
    sup = make(tmp_path, world)
    sup.start()
    world.handles["c"].exit_code = 137
    with pytest.raises(ServiceFailed, match="'c' exited with code 137"):
        sup.watch()
    assert world.stopped  # the rest was torn down


def test_every_state_change_is_reported(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after=dict.fromkeys("abcd", 0.0))
    seen: list[str] = []
    sup = make(tmp_path, world, on_change=lambda r: seen.append(r.services["a"].state))
    sup.start()
    assert seen[0] == "pending"
    assert "starting" in seen
    assert seen[-1] == "ready"


def test_a_prelaunched_service_counts_from_its_own_launch(tmp_path: Path) -> None:
    clock = FakeClock()
    world = FakeWorld(clock, ready_after=dict.fromkeys("abcd", 0.0))
    plan = chain_plan(tmp_path)
    early = world.launcher(
        "a", cwd=tmp_path, env={}, log_path=plan.run_dir.log(plan.stack.name, "a")
    )
    early.started_at = time.time() - 3.0  # launched before the supervisor was made
    sup = make(tmp_path, world, prelaunched={"a": early})
    sup.start()
    record = sup.record.services["a"]
    assert record.started_at == early.started_at  # what a file probe's "since" is taken from
    assert record.ready_after is not None and record.ready_after >= 3.0
    assert [name for name, _ in world.launched].count("a") == 1  # adopted, not started again

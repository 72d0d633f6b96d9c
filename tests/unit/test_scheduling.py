"""Which service starts first and on its own: the slowest of the stack's last start."""

from __future__ import annotations

import json
from pathlib import Path

from stcomp.runner import state_writer
from stcomp.scheduling import remember, sharing, slowest
from stcomp.state import RunState

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

"""The stop plan shared by the supervisor and `stcomp down`."""

from __future__ import annotations

import pytest

from stcomp.process import Group
from stcomp.state import RunRecord, ServiceRecord, ServiceState
from stcomp.stopplan import levels, stop_run

CHAIN = {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]}


def test_levels_follow_dependency_depth() -> None:
    assert levels(CHAIN) == [["a"], ["b", "c"], ["d"]]
    assert levels({"x": [], "y": []}) == [["x", "y"]]
    assert levels({}) == []


def test_needs_outside_the_run_are_ignored_and_cycles_refused() -> None:
    assert levels({"web": ["idp"]}) == [["web"]]  # idp skipped in this run
    with pytest.raises(ValueError, match="cycle"):
        levels({"a": ["b"], "b": ["a"]})


def record(**states: ServiceState) -> RunRecord:
    rec = RunRecord("chain", "dev", "/w", 1, 1.0, 0.0)
    for offset, (name, needs) in enumerate(CHAIN.items()):
        started = states.get(name, ServiceState.READY) != ServiceState.PENDING
        rec.services[name] = ServiceRecord(
            name=name,
            process=name,
            port=None,
            url=None,
            log="",
            needs=list(needs),
            state=states.get(name, ServiceState.READY),
            pid=100 + offset if started else None,
            pgid=100 + offset if started else None,
            create_time=5.0 if started else None,
            grace=2.0,
        )
    return rec


def test_dependants_stop_first_one_batch_per_level() -> None:
    batches: list[list[int]] = []

    def stopper(groups: list[Group]) -> list[object]:
        batches.append([pgid for pgid, *_ in groups])
        return []

    rec = record()
    assert stop_run(rec, stopper) == []  # type: ignore[arg-type]
    assert batches == [[103], [101, 102], [100]]
    assert all(s.state == ServiceState.STOPPED for s in rec.services.values())


def test_failed_states_are_kept_and_unstarted_or_unverified_services_are_not_signalled() -> None:
    batches: list[list[int]] = []
    rec = record(d=ServiceState.PENDING, b=ServiceState.EXITED)
    rec.services["c"].create_time = 0.0  # identity unknown: never signalled
    stop_run(rec, lambda groups: batches.append([g[0] for g in groups]) or [])  # type: ignore[arg-type, func-returns-value]
    assert batches == [[101], [100]]
    assert rec.services["b"].state == ServiceState.EXITED
    assert rec.services["d"].state == ServiceState.PENDING
    assert rec.services["a"].state == ServiceState.STOPPED

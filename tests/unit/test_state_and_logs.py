"""The run directory's state file and the log readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from stcomp import state
from stcomp.logs import Follower, tail


def record() -> state.RunRecord:
    rec = state.RunRecord("zero", "dev", "/w", 10, 1.5, 2.0)
    rec.services["streamlit"] = state.ServiceRecord("streamlit", "zero", 4010, "http://x", "/l")
    return rec


def test_state_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    state.save(tmp_path, record())
    loaded = state.load(tmp_path, "zero")
    assert loaded == record()
    assert state.recorded_stacks(tmp_path) == ["zero"]
    assert [p.name for p in (tmp_path / "zero").iterdir()] == ["state.json"]
    state.remove(tmp_path, "zero")
    assert state.load(tmp_path, "zero") is None
    assert state.recorded_stacks(tmp_path) == []


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    state.write_atomic(path, "old")

    with pytest.raises(TypeError):
        state.write_atomic(path, 123)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_tail_returns_the_last_lines(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("".join(f"line {i}\n" for i in range(30)))
    assert tail(log, 3) == ["line 27", "line 28", "line 29"]
    assert tail(tmp_path / "missing.log", 3) == []


def test_follower_yields_complete_lines_only_and_survives_truncation(tmp_path: Path) -> None:
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    a.write_text("old\n")
    follower = Follower({"a": a, "b": b}, from_start=False)
    assert list(follower.poll()) == []
    with open(a, "a") as out:
        out.write("one\ntw")
    assert list(follower.poll()) == [("a", "one")]
    with open(a, "a") as out:
        out.write("o\n")
    b.write_text("b1\n")
    assert list(follower.poll()) == [("a", "two"), ("b", "b1")]
    a.write_text("new\n")  # truncated and rewritten: a restarted service
    assert list(follower.poll()) == [("a", "new")]

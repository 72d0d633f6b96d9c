"""The run directory's state file and the log readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from stcomp import state
from stcomp.files import write_atomic
from stcomp.logs import BACKLOG_LIMIT, MAX_SHOWN, Follower, Line, tail
from stcomp.rundir import RunDir


def record() -> state.RunRecord:
    rec = state.RunRecord("zero", "dev", "/w", 10, 1.5, 2.0)
    rec.services["streamlit"] = state.ServiceRecord("streamlit", "zero", 4010, "http://x", "/l")
    return rec


def test_state_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    run_dir = RunDir(tmp_path)
    state.save(run_dir, record())
    loaded = state.load(run_dir, "zero")
    assert loaded == record()
    assert isinstance(loaded.services["streamlit"].state, state.ServiceState)
    assert run_dir.recorded_stacks() == ["zero"]
    assert [p.name for p in (tmp_path / "zero").iterdir()] == ["state.json"]
    state.remove(run_dir, "zero")
    assert state.load(run_dir, "zero") is None
    assert run_dir.recorded_stacks() == []


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"stack": "zero", ',
        b"\xff\xfe not utf-8",
        b"[1, 2]",
        b'{"format": 1, "stack": "zero"}',
        b'{"format": 2, "stack": "zero"}',
        b'{"format": 2, "stack": "zero", "mode": "dev", "workspace": "/w", "supervisor_pid": 1,'
        b' "supervisor_create_time": 1.0, "started_at": 0, "surprise": 1}',
        b'{"format": 2, "stack": "zero", "mode": "dev", "workspace": "/w", "supervisor_pid": "1",'
        b' "supervisor_create_time": 1.0, "started_at": 0}',
        b'{"format": 2, "stack": "zero", "mode": "dev", "workspace": "/w", "supervisor_pid": 1,'
        b' "supervisor_create_time": 1.0, "started_at": 0, "state": "weird"}',
    ],
)
def test_a_damaged_state_file_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    run_dir = RunDir(tmp_path)
    run_dir.state_file("zero").parent.mkdir()
    run_dir.state_file("zero").write_bytes(content)
    with pytest.raises(state.StateDamaged) as caught:
        state.load(run_dir, "zero")
    assert str(run_dir.state_file("zero")) in caught.value.message
    assert "\n" not in caught.value.message
    assert caught.value.exit_code == 2


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    write_atomic(path, "old")

    with pytest.raises(TypeError):
        write_atomic(path, 123)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_tail_returns_the_last_lines(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("".join(f"line {i}\n" for i in range(30)))
    assert tail(log, 3) == [Line(None, f"line {i}") for i in (27, 28, 29)]
    assert tail(tmp_path / "missing.log", 3) == []
    stamped = tmp_path / "stamped.log"
    stamped.write_text("2026-11-24T06:19:03.123 hello\n")
    assert tail(stamped, 5) == [Line("2026-11-24T06:19:03.123", "hello")]


def test_tail_of_a_huge_line_is_bounded(tmp_path: Path) -> None:
    log = tmp_path / "huge.log"
    with open(log, "wb") as out:
        out.write(b"first\n")
        out.write(b"x" * (20 * 2**20))  # 20 MB without a newline
    lines = tail(log, 5)
    assert len(lines) == 1
    assert len(lines[0].text) < MAX_SHOWN + 100 and "more bytes" in lines[0].text


def test_follower_yields_complete_lines_only_and_survives_truncation(tmp_path: Path) -> None:
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    a.write_text("old\n")
    follower = Follower({"a": a, "b": b}, from_start=False)
    assert list(follower.poll()) == []
    with open(a, "a") as out:
        out.write("one\ntw")
    assert list(follower.poll()) == [("a", Line(None, "one"))]
    with open(a, "a") as out:
        out.write("o\n")
    b.write_text("b1\n")
    assert list(follower.poll()) == [("a", Line(None, "two")), ("b", Line(None, "b1"))]
    a.write_text("new\n")  # truncated and rewritten: a restarted service
    assert list(follower.poll()) == [("a", Line(None, "new"))]
    a.rename(tmp_path / "a.log.1")  # rotated: a new file under the same name
    a.write_text("newer\n")
    assert list(follower.poll()) == [("a", Line(None, "newer"))]


def test_a_follower_far_behind_skips_ahead_and_says_so(tmp_path: Path) -> None:
    log = tmp_path / "flood.log"
    log.write_bytes(b"line\n" * (BACKLOG_LIMIT // 5 + 200_000))
    follower = Follower({"f": log})
    first = list(follower.poll())
    assert first[0][1].text.startswith("[stcomp] skipped")
    assert all(line.text == "line" for _, line in first[2:])
    assert sum(len(line.text) + 1 for _, line in first) < 2 * BACKLOG_LIMIT // 8

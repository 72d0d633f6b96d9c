"""The state file: written whole, read defensively."""

from __future__ import annotations

from pathlib import Path

import pytest

from stcomp import state
from stcomp.files import write_atomic
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

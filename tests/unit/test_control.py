"""The supervisor's control FIFO: a stop asked for reaches a listening supervisor; nobody
listening, a name that is no plain name, or something else at the FIFO's place is refused
without touching anything."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from stcomp.control import ask_to_stop, listening
from stcomp.rundir import RunDir


@pytest.fixture
def run_dir(tmp_path: Path) -> RunDir:
    (tmp_path / "run" / "web").mkdir(parents=True)
    return RunDir(tmp_path / "run")


def test_a_listening_supervisor_hears_the_stop(run_dir: RunDir) -> None:
    fds = len(os.listdir("/proc/self/fd"))
    asked = threading.Event()
    with listening(run_dir.control("web"), asked.set) as ready:
        assert ready
        assert (run_dir.control("web").stat().st_mode & 0o777) == 0o600
        assert ask_to_stop(run_dir, "web")
        assert asked.wait(5)
        asked.clear()
        assert ask_to_stop(run_dir, "web")  # a second asker is heard too
        assert asked.wait(5)
    assert not run_dir.control("web").exists()  # removed with the listener
    assert len(os.listdir("/proc/self/fd")) == fds  # and its descriptors closed
    assert not ask_to_stop(run_dir, "web")


def test_nobody_listening_is_refused(run_dir: RunDir) -> None:
    assert not ask_to_stop(run_dir, "web")  # no FIFO at all
    os.mkfifo(run_dir.control("web"), 0o600)  # a dead supervisor's: nobody reads it
    assert not ask_to_stop(run_dir, "web")
    asked = threading.Event()
    with listening(run_dir.control("web"), asked.set):  # the next one replaces it
        assert ask_to_stop(run_dir, "web")
        assert asked.wait(5)


def test_something_else_at_its_place_is_never_written(run_dir: RunDir) -> None:
    run_dir.control("web").write_text("a user's file\n")
    assert not ask_to_stop(run_dir, "web")
    assert run_dir.control("web").read_text() == "a user's file\n"


@pytest.mark.parametrize("name", ["", ".", "..", "../web", "web/..", "a/b", "-x"])
def test_a_name_that_is_not_plain_is_refused(run_dir: RunDir, name: str) -> None:
    outside = run_dir.root / "control"  # where "." or ".." could lead
    outside.write_text("untouched\n")
    assert not ask_to_stop(run_dir, name)
    assert outside.read_text() == "untouched\n"


def test_no_fifo_where_none_can_be_made(tmp_path: Path) -> None:
    with listening(tmp_path / "missing-folder" / "control", lambda: None) as ready:
        assert not ready

"""Log files: tails read from the end, followers with bounded reads."""

from __future__ import annotations

from pathlib import Path

from stcomp.logs import BACKLOG_LIMIT, MAX_SHOWN, Follower, Line, tail


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

"""The `file:PATH` probe: ready once the file was written since the service started."""

from __future__ import annotations

import os
import time
from pathlib import Path

from stcomp import probes


def test_spelling_and_description() -> None:
    probe = probes.parse("file:front/.rebuilt/stamp")
    assert isinstance(probe, probes.FileProbe)
    assert probe.path == "front/.rebuilt/stamp"
    assert not probe.needs_port
    assert probes.parse("file:") is None


def test_ready_only_when_written_since_the_start(tmp_path: Path) -> None:
    stamp = tmp_path / "stamp"
    probe = probes.FileProbe(str(stamp))
    started = time.time()
    assert not probes.check(probe, None, since=started)  # not there yet
    stamp.write_text("old")
    os.utime(stamp, (started - 60, started - 60))  # left over from an earlier run
    assert not probes.check(probe, None, since=started)
    stamp.write_text("new")
    assert probes.check(probe, None, since=started)


def test_the_path_is_relative_to_the_workspace_root(tmp_path: Path) -> None:
    from stcomp.config import parse_workspace

    (tmp_path / "Procfile").write_text("w: true\n")
    (tmp_path / "stcomp.toml").write_text(
        '[stacks.s.services.w]\nprocess = "w"\nprobe = "file:out/stamp"\n'
    )
    probe = parse_workspace(tmp_path / "stcomp.toml").stack("s").services["w"].probe
    assert isinstance(probe, probes.FileProbe)
    assert probe.path == str(tmp_path / "out" / "stamp")

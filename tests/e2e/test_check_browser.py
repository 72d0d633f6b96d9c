"""`stcomp check --browser` on the real zero stack: a headless round trip through Chromium."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO, processes_of, stcomp


def test_check_zero_with_browser_round_trip(run_dir: Path) -> None:
    result = stcomp("check", "zero", "--browser", "--json", cwd=REPO, run_dir=run_dir, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = {c["name"]: c for c in json.loads(result.stdout)["stacks"][0]["checks"]}
    assert checks["script runs: streamlit"]["ok"]
    assert checks["component files served"]["ok"]
    assert checks["browser round trip"]["ok"]
    assert "stcomp_host.zero" in checks["browser round trip"]["detail"]
    assert processes_of(run_dir) == []

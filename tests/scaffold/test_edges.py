"""Scaffold's edges as a user meets them: an unusable --dir, and --force keeping what it
replaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import stcomp


@pytest.mark.parametrize("where", ["a-file/inside", "/proc/stcomp-nope/inside"])
def test_an_unusable_dir_is_exit_2_and_writes_nothing(
    tmp_path: Path, run_dir: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = stcomp("scaffold", "widget", "--dir", where, cwd=tmp_path, run_dir=run_dir)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "--dir" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_force_keeps_the_replaced_folder_and_says_where(tmp_path: Path, run_dir: Path) -> None:
    assert stcomp("scaffold", "widget", cwd=tmp_path, run_dir=run_dir).returncode == 0
    edited = tmp_path / "widget" / "app.py"
    edited.write_text(edited.read_text() + "# my edit\n")
    (tmp_path / "widget" / "node_modules").mkdir()
    again = stcomp("scaffold", "widget", "--force", cwd=tmp_path, run_dir=run_dir)
    assert again.returncode == 0, again.stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("widget.replaced-")]
    assert len(kept) == 1 and str(kept[0]) in again.stdout.replace("\n", "")
    assert (kept[0] / "app.py").read_text().endswith("# my edit\n")
    assert (kept[0] / "node_modules").is_dir()
    assert "# my edit" not in (tmp_path / "widget" / "app.py").read_text()
    assert "stcomp up widget" in again.stdout  # the stack is still declared


def test_a_new_workspace_gets_a_ci_workflow_that_passes_the_schema(
    tmp_path: Path, run_dir: Path
) -> None:
    import subprocess
    import sys

    assert stcomp("scaffold", "widget", cwd=tmp_path, run_dir=run_dir).returncode == 0
    workflow = tmp_path / ".github" / "workflows" / "stcomp.yml"
    text = workflow.read_text()
    assert "stcomp check --browser" in text and "python -m pytest" in text
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workflow.write_text("# mine\n")  # a second component leaves the user's workflow alone
    assert stcomp("scaffold", "other", cwd=tmp_path, run_dir=run_dir).returncode == 0
    assert workflow.read_text() == "# mine\n"

"""The commit: into place all together, or every step undone (in tmp dirs, with failures
injected at each step)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stcomp.errors import StcompError
from stcomp.scaffold import commit as commit_module
from stcomp.scaffold.commit import commit, staging
from tests.scaffold.files import snapshot


def staged_component(stage: Path) -> Path:
    component = stage / "render" / "foo"
    (component / "foo").mkdir(parents=True)
    (component / "app.py").write_text("import foo\n")
    (component / "foo" / "__init__.py").write_text("")
    return component


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\n")
    (root / "pyproject.toml").chmod(0o600)
    return root


def test_everything_lands(workspace: Path) -> None:
    with staging("foo", workspace) as stage:
        component = staged_component(stage)
        files = {
            workspace / "pyproject.toml": "[project]\n# more\n",
            workspace / "Procfile": "x: y\n",
        }
        commit(component, workspace / "deep" / "er" / "foo", files, stage)
    assert (workspace / "deep" / "er" / "foo" / "app.py").read_text() == "import foo\n"
    assert (workspace / "pyproject.toml").read_text() == "[project]\n# more\n"
    assert (workspace / "pyproject.toml").stat().st_mode & 0o777 == 0o600  # mode kept
    assert (workspace / "Procfile").stat().st_mode & 0o777 == 0o644
    assert not stage.exists()
    assert sorted(p.name for p in workspace.iterdir()) == ["Procfile", "deep", "pyproject.toml"]


def test_staging_for_a_dry_run_is_in_the_temp_folder(tmp_path: Path) -> None:
    with staging("foo", None) as stage:
        assert stage.is_dir() and not stage.is_relative_to(tmp_path)
        assert stage.name.startswith(".stcomp-scaffold-foo-")
    assert not stage.exists()


STEPS = ["backup", "mkdir", "move-aside", "place", "write-1", "write-2"]
CASES = [(step, False) for step in STEPS if step != "move-aside"]
CASES += [(step, True) for step in STEPS if step != "mkdir"]  # --force over an existing folder


@pytest.mark.parametrize(("fail_at", "existing"), CASES)
def test_a_failure_at_any_step_undoes_all(workspace: Path, fail_at: str, existing: bool) -> None:
    target = workspace / "deep" / "apps" / "foo"  # two folders to make, unless existing
    if existing:
        target.mkdir(parents=True)
        (target / "mine.txt").write_text("keep me")
    before = snapshot(workspace)
    real = {
        "backup": commit_module.shutil.copy2,
        "mkdir": Path.mkdir,
        "move-aside": os.replace,
        "place": commit_module.shutil.move,
    }
    writes: list[Path] = []

    def failing(step: str):  # type: ignore[no-untyped-def]
        def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
            if step == fail_at and (step != "mkdir" or args[0].name == "apps"):
                raise OSError(28, "No space left on device", str(args[0]))
            return real[step](*args, **kwargs)

        return fail

    def write(path: Path, text: str, mode: int = 0o644) -> None:
        writes.append(path)
        if fail_at == f"write-{len(writes)}":
            raise OSError(28, "No space left on device", str(path))
        path.write_text(text)

    files = {workspace / "pyproject.toml": "changed\n", workspace / "Procfile": "new\n"}
    with staging("foo", workspace) as stage:
        component = staged_component(stage)
        with pytest.MonkeyPatch.context() as patch, pytest.raises(StcompError) as caught:
            patch.setattr(commit_module.shutil, "copy2", failing("backup"))
            patch.setattr(commit_module.shutil, "move", failing("place"))
            patch.setattr(commit_module.os, "replace", failing("move-aside"))
            patch.setattr(Path, "mkdir", failing("mkdir"))
            patch.setattr(commit_module, "write_atomic", write)
            commit(component, target, files, stage)
    assert caught.value.message.endswith("No space left on device; nothing was changed")
    assert snapshot(workspace) == before


def test_an_interrupt_is_undone_and_passed_on(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(workspace)

    def interrupted(path: Path, text: str, mode: int = 0o644) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(commit_module, "write_atomic", interrupted)
    with staging("foo", workspace) as stage, pytest.raises(KeyboardInterrupt):
        commit(staged_component(stage), workspace / "foo", {workspace / "Procfile": "x"}, stage)
    assert snapshot(workspace) == before

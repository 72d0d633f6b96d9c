"""What scaffold writes, where, and that a refused or failed scaffold leaves everything as it was."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from stcomp.config import parse_workspace
from stcomp.errors import StcompError, UsageError
from stcomp.procfile import read_procfile
from stcomp.scaffold import commit as commit_module
from stcomp.scaffold import scaffold
from tests.conftest import stcomp
from tests.scaffold.files import EXISTING_PROCFILE, make_workspace, snapshot


def test_the_default_template_is_components_v2_with_react(tmp_path: Path) -> None:
    result = scaffold("foo", dest=tmp_path)
    assert result.template == "v2-react"
    stack = parse_workspace(tmp_path / "stcomp.toml").stack("foo")
    assert stack.package == "foo"
    assert [s.name for s in stack.ordered()] == ["build", "streamlit"]
    assert (tmp_path / "foo" / "frontend" / "src" / "Component.tsx").is_file()


def test_an_empty_folder_becomes_a_workspace(tmp_path: Path) -> None:
    result = scaffold("foo", template="html", dest=tmp_path)
    assert result.template == "html"
    assert (tmp_path / ".gitignore").read_text().splitlines()[0] == ".stcomp/"
    workspace = parse_workspace(tmp_path / "stcomp.toml")
    stack = workspace.stack("foo")
    assert [s.name for s in stack.ordered()] == ["streamlit"]
    assert stack.artifact == "foo/foo/frontend"
    assert stack.package == "foo"
    assert "streamlit run foo/app.py" in workspace.procfile["foo"]
    for path in ("foo/app.py", "foo/foo/__init__.py", "foo/foo/frontend/index.html"):
        assert (tmp_path / path).is_file(), path
    assert (tmp_path / "foo" / "tests" / "test_foo.py").is_file()
    assert not (tmp_path / "foo" / ".stcomp-scaffold").exists()
    assert set(result.created) == {p for p in tmp_path.rglob("*") if p.is_file()}
    assert result.next_steps[:2] == [f"cd {tmp_path}", "stcomp up foo"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".stcomp")] == []


def test_an_existing_workspace_gets_the_stack_in_apps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(tmp_path)
    monkeypatch.chdir(root / "apps")  # anywhere inside the workspace
    result = scaffold("foo", template="vite")
    assert (root / "apps" / "foo" / "frontend" / "package-lock.json").is_file()
    workspace = parse_workspace(root / "pyproject.toml")
    assert set(workspace.stacks) == {"zero", "foo"}
    stack = workspace.stack("foo")
    assert [s.name for s in stack.ordered()] == ["component", "streamlit"]
    assert stack.frontend == "apps/foo/frontend"
    assert stack.build == "cd apps/foo/frontend && node_modules/.bin/vite build"
    assert stack.artifact == "apps/foo/foo/build"
    assert stack.services["component"].release is False
    assert [s.name for s in stack.for_mode(True, workspace.procfile).ordered()] == ["streamlit"]
    procfile = read_procfile(root / "Procfile")
    assert procfile["zero"] == EXISTING_PROCFILE.split(": ", 1)[1].strip()
    assert "node_modules/.bin/vite --host 127.0.0.1" in procfile["foo-component"]
    assert "${COMPONENT_PORT:-3001}" in procfile["foo-component"]
    data = tomllib.loads((root / "pyproject.toml").read_text())
    assert data["project"]["name"] == "someone-elses-project"
    assert not (root / "stcomp.toml").exists()
    assert not (root / ".gitignore").exists()
    assert set(result.updated) == {root / "pyproject.toml", root / "Procfile"}
    assert result.next_steps == [
        "stcomp up foo   # installs the front end's packages first",
        "stcomp build foo",
        "stcomp up foo --release",
        "python -m pytest foo/tests",  # from apps/, where it was run
        "stcomp package foo   # wheel + sdist, checked, ready to publish",
    ]


def test_dry_run_writes_nothing_and_lists_what_it_would(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    before = snapshot(root)
    result = scaffold("foo", template="next", dest=root, dry_run=True)
    assert snapshot(root) == before
    assert root / "apps" / "foo" / "frontend" / "next.config.ts" in result.created
    assert root / "pyproject.toml" in result.created
    new_folder = tmp_path / "not" / "there"
    result = scaffold("foo", template="html", dest=new_folder, dry_run=True)
    assert not (tmp_path / "not").exists()
    assert new_folder / "stcomp.toml" in result.created


def test_cli_prints_what_it_created_and_what_to_run_next(tmp_path: Path) -> None:
    result = stcomp("scaffold", "foo", "--template", "vite", cwd=tmp_path, run_dir=tmp_path / "r")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "created component foo (vite template)" in result.stdout
    assert str(tmp_path / "foo" / "frontend" / "vite.config.ts") in result.stdout
    assert str(tmp_path / "stcomp.toml") in result.stdout
    assert "next:\n  stcomp up foo" in result.stdout
    assert "python -m pytest foo/tests" in result.stdout


def test_an_existing_target_is_refused_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    scaffold("foo", template="html", dest=root)
    (root / "apps" / "foo" / "notes.txt").write_text("mine")
    before = snapshot(root)
    with pytest.raises(UsageError, match="stack 'foo' already exists"):
        scaffold("foo", template="vite", dest=root)
    assert snapshot(root) == before

    scaffold("foo", template="vite", dest=root, force=True)
    assert not (root / "apps" / "foo" / "notes.txt").exists()
    assert (root / "apps" / "foo" / "frontend" / "vite.config.ts").is_file()
    text = (root / "pyproject.toml").read_text()
    assert text.count("[tool.stcomp.stacks.foo]") == 1
    assert text.count("# stcomp scaffold: foo") == 1
    workspace = parse_workspace(root / "pyproject.toml")
    assert set(workspace.stack("foo").services) == {"component", "streamlit"}
    assert (root / "Procfile").read_text().count("foo: exec streamlit run") == 1
    assert [p for p in (root / "apps").iterdir() if p.name.startswith(".")] == []


def test_a_users_own_template_folder(tmp_path: Path) -> None:
    template = tmp_path / "my-template"
    project = template / "{{cookiecutter.name}}"
    (project / ".stcomp-scaffold").mkdir(parents=True)
    (template / "cookiecutter.json").write_text(
        '{"name": "x", "shout": "{{ cookiecutter.name|upper }}"}'
    )
    (project / "hello.txt").write_text(
        "{{ cookiecutter.shout }} lives in {{ cookiecutter.component_dir }}\n"
    )
    (project / ".stcomp-scaffold" / "stack.toml").write_text(
        '[{{ cookiecutter.stack_table }}.services.web]\nprocess = "{{ cookiecutter.name }}"\n'
        'port = "streamlit"\n'
    )
    (project / ".stcomp-scaffold" / "Procfile").write_text(
        "{{ cookiecutter.name }}: exec python -m http.server ${STREAMLIT_PORT}\n"
    )
    root = make_workspace(tmp_path / "ws")
    result = scaffold("mine", template=str(template), dest=root)
    assert result.template == str(template)
    assert (root / "apps" / "mine" / "hello.txt").read_text() == "MINE lives in apps/mine\n"
    workspace = parse_workspace(root / "pyproject.toml")
    assert (
        workspace.stack("mine").services["web"].command
        == "exec python -m http.server ${STREAMLIT_PORT}"
    )
    assert result.next_steps[1:] == ["stcomp up mine"]


def test_an_unknown_template_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown template 'svelte'"):
        scaffold("foo", template="svelte", dest=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_template_that_fails_to_render_leaves_nothing(tmp_path: Path) -> None:
    template = tmp_path / "broken"
    (template / "{{cookiecutter.name}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "x"}')
    (template / "{{cookiecutter.name}}" / "a.txt").write_text("fine\n")
    (template / "{{cookiecutter.name}}" / "b.txt").write_text("{{ cookiecutter.nope.deeper }}\n")
    root = make_workspace(tmp_path / "ws")
    before = snapshot(root)
    with pytest.raises(UsageError, match=r"failed to render.*nothing was written"):
        scaffold("foo", template=str(template), dest=root)
    assert snapshot(root) == before


def test_a_stack_that_would_not_be_valid_leaves_nothing(tmp_path: Path) -> None:
    template = tmp_path / "invalid"
    fragments = template / "{{cookiecutter.name}}" / ".stcomp-scaffold"
    fragments.mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "x"}')
    (fragments / "stack.toml").write_text(
        '[{{ cookiecutter.stack_table }}.services.web]\nprocess = "not-in-the-procfile"\n'
    )
    root = make_workspace(tmp_path / "ws")
    before = snapshot(root)
    with pytest.raises(UsageError, match=r"would not be valid: .*no Procfile entry"):
        scaffold("foo", template=str(template), dest=root)
    assert snapshot(root) == before


def test_missing_npm_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(tmp_path)
    before = snapshot(root)
    empty = tmp_path.parent / f"{tmp_path.name}-empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(UsageError, match=r"needs Node.js and npm.*nothing was written"):
        scaffold("foo", template="next", dest=root)
    assert snapshot(root) == before


@pytest.mark.parametrize("new_workspace", [False, True], ids=["existing", "new"])
def test_a_failure_midway_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_workspace: bool
) -> None:
    """The component is in place and the first workspace file written when the next write fails:
    all of it is undone."""
    root = tmp_path / "ws"
    root.mkdir()
    if not new_workspace:
        make_workspace(root)
    (root / "apps").mkdir(exist_ok=True)
    before = snapshot(root)
    real_write = commit_module.write_atomic
    writes: list[Path] = []

    def write_then_fail(path: Path, text: str, mode: int = 0o644) -> None:
        if len(writes) == 1:
            assert (path.parent / "apps" / "foo" / "app.py").is_file() or new_workspace
            raise OSError(28, "No space left on device", str(path))
        writes.append(path)
        real_write(path, text, mode)

    monkeypatch.setattr(commit_module, "write_atomic", write_then_fail)
    with pytest.raises(StcompError, match="No space left on device; nothing was changed"):
        scaffold("foo", template="html", dest=root / "deeper" if new_workspace else root)
    assert writes, "the failure was meant to come after a first write"
    assert snapshot(root) == before


def test_the_existing_target_survives_a_failed_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(tmp_path)
    scaffold("foo", template="html", dest=root)
    (root / "apps" / "foo" / "notes.txt").write_text("mine")
    before = snapshot(root)

    def fail(path: Path, text: str, mode: int = 0o644) -> None:
        raise OSError(13, "Permission denied", str(path))

    monkeypatch.setattr(commit_module, "write_atomic", fail)
    with pytest.raises(StcompError, match="Permission denied"):
        scaffold("foo", template="vite", dest=root, force=True)
    assert snapshot(root) == before
    assert set(os.listdir(root / "apps")) == {"zero", "foo"}


def test_a_template_without_a_stack_creates_only_the_component(tmp_path: Path) -> None:
    template = tmp_path / "plain"
    (template / "{{cookiecutter.name}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "x"}')
    (template / "{{cookiecutter.name}}" / "{{cookiecutter.name}}.py").write_text("X = 1\n")
    dest = tmp_path / "empty"
    dest.mkdir()
    result = scaffold("plain", template=str(template), dest=dest)
    assert snapshot(dest) == {"plain": None, "plain/plain.py": b"X = 1\n"}
    assert result.created == [dest / "plain" / "plain.py"]
    assert "the template declares no stack" in result.next_steps[-1]

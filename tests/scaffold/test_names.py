"""Component names: a Python identifier and an npm package name that shadows nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from stcomp.errors import UsageError
from stcomp.scaffold import check_name, scaffold
from stcomp.scaffold.names import RULES, class_name, npm_name, title
from tests.conftest import stcomp
from tests.scaffold.files import make_workspace, snapshot


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("foo-bar", "not a Python identifier"),
        ("1foo", "not a Python identifier"),
        ("", "not a Python identifier"),
        ("class", "a Python keyword"),
        ("match", "a Python keyword"),
        ("Foo", "npm package names are lowercase"),
        ("_foo", "cannot start with '_'"),
        ("fóo", "npm package names are ASCII"),
        ("f" * 210, "too long for an npm package name"),
        ("fs", "Node.js built-in module"),
        ("json", "shadow Python's standard module"),
        ("app", "reserved"),
        ("streamlit", "reserved"),
        ("numpy", "shadow the installed Python package"),
    ],
)
def test_bad_names_are_refused_with_the_reason(name: str, reason: str) -> None:
    with pytest.raises(UsageError, match="invalid component name") as caught:
        check_name(name)
    assert reason in caught.value.message


@pytest.mark.parametrize("name", ["foo", "my_widget", "w2", "x" * 50])
def test_good_names_pass(name: str) -> None:
    check_name(name)


def test_cli_exits_2_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    result = stcomp("scaffold", "my-widget", cwd=tmp_path, run_dir=tmp_path / "run")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "invalid component name 'my-widget': not a Python identifier" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_a_name_clashing_with_a_stack_is_refused(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    (root / "apps" / "zero").rename(root / "apps" / "elsewhere")  # no folder clash: the stack
    before = snapshot(root)
    for force in (False, True):  # a stack written by hand is never replaced
        with pytest.raises(UsageError, match=r"'zero' is already used by .*pyproject.toml"):
            scaffold("zero", template="html", dest=root, force=force)
    assert snapshot(root) == before


def test_a_name_clashing_with_a_procfile_entry_is_refused(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    with (root / "Procfile").open("a") as procfile:
        procfile.write("web-component: exec true\n")
    before = snapshot(root)
    with pytest.raises(UsageError, match=r"'web' is already used by .*Procfile"):
        scaffold("web", template="html", dest=root)
    assert snapshot(root) == before


def test_a_name_clashing_with_a_folder_is_refused(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    (root / "apps" / "taken").mkdir()
    (root / "apps" / "taken" / "mine.txt").write_text("keep me")
    before = snapshot(root)
    result = stcomp("scaffold", "taken", cwd=root, run_dir=tmp_path / "run")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "apps/taken already exists; nothing was written" in result.stderr
    assert "--force" in result.stderr
    assert snapshot(root) == before


def test_derived_names() -> None:
    assert npm_name("my_widget") == "my_widget-component"
    assert title("my_widget") == "My Widget"
    assert class_name("my_widget2") == "MyWidget2"


def test_the_first_broken_rule_is_reported() -> None:
    # "Fs" breaks "lowercase" before it would hit "Node.js built-in" (as "fs").
    with pytest.raises(UsageError, match="lowercase"):
        check_name("Fs")
    assert [rule.reason for rule in RULES if rule.broken("class")] == ["a Python keyword"]

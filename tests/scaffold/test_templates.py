"""Template discovery: every folder with a cookiecutter.json, described by its own metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stcomp.errors import UsageError
from stcomp.scaffold import scaffold
from stcomp.scaffold.templates import (
    SHARED,
    WORKSPACE,
    discover,
    load,
    only,
    resolve,
    template_help,
)
from tests.conftest import stcomp
from tests.scaffold.template_folders import own_templates_root, write_template


def test_every_folder_with_a_cookiecutter_json_is_a_template(tmp_path: Path) -> None:
    write_template(tmp_path, "plain")
    write_template(tmp_path, "node", {"description": "with Node", "needs_node": True})
    write_template(tmp_path, "ws", {"role": "workspace"})
    write_template(tmp_path, "_layer", {"role": "shared", "verbatim": ["*.ts"]})
    (tmp_path / "notes").mkdir()
    (tmp_path / "README.md").write_text("not a template")

    found = discover(tmp_path)
    assert [t.name for t in found] == ["node", "plain"]
    assert (found[0].description, found[0].needs_node) == ("with Node", True)
    assert (found[1].description, found[1].needs_node, found[1].include) == ("", False, {})
    assert only(WORKSPACE, tmp_path).name == "ws"
    assert only(SHARED, tmp_path).verbatim == ("*.ts",)


def test_the_builtin_templates() -> None:
    found = {t.name: t for t in discover()}
    assert {"html", "next", "vite"} <= set(found)
    assert all(t.description and t.builtin for t in found.values())
    assert not found["html"].needs_node
    assert found["next"].needs_node and found["vite"].needs_node
    assert only(WORKSPACE).name == "workspace"


def test_help_lists_what_is_discovered(tmp_path: Path) -> None:
    write_template(tmp_path, "alpha", {"description": "the first"})
    write_template(tmp_path, "beta")
    assert template_help(tmp_path) == (
        "alpha (the first), beta, or a folder with a cookiecutter.json."
    )
    result = stcomp("scaffold", "--help", cwd=tmp_path, run_dir=tmp_path / "run")
    for template in discover():
        assert template.name in result.stdout


def test_a_new_template_is_a_new_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = own_templates_root(monkeypatch, tmp_path / "templates")
    write_template(
        root, "svelte", {"description": "Svelte"}, {"hello.txt": "{{ cookiecutter.title }}\n"}
    )
    assert "svelte (Svelte)" in template_help()
    assert resolve("svelte").path == root / "svelte"
    result = scaffold("my_thing", template="svelte", dest=tmp_path / "ws")
    assert result.template == "svelte"
    assert (tmp_path / "ws" / "my_thing" / "hello.txt").read_text() == "My Thing\n"


def test_an_unknown_template_names_the_known_ones(tmp_path: Path) -> None:
    write_template(tmp_path, "alpha")
    with pytest.raises(UsageError, match="unknown template 'nope'") as caught:
        resolve("nope", tmp_path)
    assert caught.value.hint == "use alpha, or a folder with a cookiecutter.json"


def test_a_folder_of_ones_own(tmp_path: Path) -> None:
    folder = write_template(tmp_path / "mine", "tpl", {"description": "mine"})
    template = resolve(str(folder), tmp_path / "mine")
    assert (template.builtin, template.label, template.name) == (False, str(folder), "tpl")


def test_workspace_and_shared_folders_are_not_component_templates(tmp_path: Path) -> None:
    for role in ("workspace", "shared"):
        folder = write_template(tmp_path, role, {"role": role})
        with pytest.raises(UsageError, match=f"not a component template \\(role '{role}'\\)"):
            resolve(str(folder), tmp_path)


@pytest.mark.parametrize(
    ("meta", "problem"),
    [
        ({"colour": "red"}, "unknown key '_stcomp.colour'"),
        ({"role": "layer"}, "'_stcomp.role' has a wrong value"),
        ({"needs_node": "yes"}, "'_stcomp.needs_node' has a wrong value"),
        ({"description": 3}, "'_stcomp.description' has a wrong value"),
        ({"include": {"../x": "a"}}, "'_stcomp.include' has a wrong value"),
        ({"include": {"x": "/etc/passwd"}}, "'_stcomp.include' has a wrong value"),
        ({"include": ["x"]}, "'_stcomp.include' has a wrong value"),
        ({"verbatim": "x"}, "'_stcomp.verbatim' has a wrong value"),
        ("a string", "'_stcomp' in cookiecutter.json must be an object"),
    ],
)
def test_bad_metadata_is_refused(tmp_path: Path, meta: object, problem: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "cookiecutter.json").write_text(json.dumps({"name": "x", "_stcomp": meta}))
    with pytest.raises(UsageError, match=r"template .*bad") as caught:
        load(folder)
    assert problem in caught.value.message


def test_an_unreadable_cookiecutter_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "cookiecutter.json").write_text("{not json")
    with pytest.raises(UsageError, match=r"cannot read its cookiecutter\.json"):
        load(tmp_path / "broken")
    assert template_help(tmp_path) == (
        "A built-in template's name, or a folder with a cookiecutter.json."
    )

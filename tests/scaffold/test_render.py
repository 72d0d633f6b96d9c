"""Rendering: no caches or build output from a template, and the shared layer's files put into
the templates that include them (rendered, or copied as they are)."""

from __future__ import annotations

import compileall
import json
import shutil
from pathlib import Path

import pytest

from stcomp.errors import UsageError
from stcomp.scaffold import scaffold
from stcomp.scaffold.templates import discover
from tests.scaffold.template_folders import own_templates_root, write_template

CACHES = {
    "__pycache__/x.cpython-311.pyc": "",
    "tests/__pycache__/test_x.cpython-311.pyc": "",
    "stale.pyc": "",
    ".pytest_cache/README.md": "",
    "frontend/node_modules/react/index.js": "",
    "frontend/.next/BUILD_ID": "",
    "frontend/dist/index.html": "",
    "frontend/out/index.html": "",
    "frontend/tsconfig.tsbuildinfo": "",
    "frontend/next-env.d.ts": "",
}


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_caches_and_build_output_are_not_copied(tmp_path: Path) -> None:
    keep = {"app.py": "x = 1\n", "frontend/index.html": "<p>hi</p>\n", "tests/test_x.py": ""}
    template = write_template(tmp_path, "cached", files={**keep, **CACHES})
    (template / "__pycache__").mkdir()
    (template / "__pycache__" / "hooks.cpython-311.pyc").write_text("")
    result = scaffold("foo", template=str(template), dest=tmp_path / "ws")
    assert files_under(tmp_path / "ws" / "foo") == set(keep)
    assert {p.relative_to(tmp_path / "ws" / "foo").as_posix() for p in result.created} == set(keep)


def test_a_file_named_like_an_ignored_folder_is_kept(tmp_path: Path) -> None:
    template = write_template(tmp_path, "t", files={"dist": "a file, not build output\n"})
    scaffold("foo", template=str(template), dest=tmp_path / "ws")
    assert (tmp_path / "ws" / "foo" / "dist").is_file()


@pytest.mark.parametrize("name", [t.name for t in discover()])
def test_builtin_templates_compiled_at_install_render_no_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """pip compiles the installed templates' .py files (those that parse) into __pycache__."""
    root = own_templates_root(monkeypatch, tmp_path / "templates")
    compileall.compile_dir(root, quiet=2)
    assert list(root.rglob("*.pyc")), "compileall was meant to leave bytecode"
    scaffold("foo", template=name, dest=tmp_path / "ws")
    made = files_under(tmp_path / "ws" / "foo")
    assert [f for f in made if "__pycache__" in f or f.endswith(".pyc")] == []


def shared_layer(root: Path) -> None:
    write_template(root, "_shared", {"role": "shared", "verbatim": ["raw/*"]})
    (root / "_shared" / "raw").mkdir()
    (root / "_shared" / "raw" / "proto.ts").write_text("const x = `${a}{{b}}`;\n")
    (root / "_shared" / "hello.txt").write_text("hello {{ cookiecutter.name }}\n")


def test_included_files_are_rendered_or_copied_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = own_templates_root(monkeypatch, tmp_path / "templates")
    shutil.rmtree(root / "_shared", ignore_errors=True)
    shared_layer(root)
    include = {
        "src/proto.ts": "raw/proto.ts",
        "{{cookiecutter.name}}/hello.txt": "hello.txt",
        "lib/proto.ts": "raw/proto.ts",
    }
    write_template(root, "inc", {"include": include}, {"own.txt": "{{ cookiecutter.name }}\n"})
    scaffold("foo", template="inc", dest=tmp_path / "ws")
    made = tmp_path / "ws" / "foo"
    assert files_under(made) == {"own.txt", "src/proto.ts", "lib/proto.ts", "foo/hello.txt"}
    assert (made / "own.txt").read_text() == "foo\n"
    assert (made / "foo" / "hello.txt").read_text() == "hello foo\n"
    for copy in ("src/proto.ts", "lib/proto.ts"):
        assert (made / copy).read_bytes() == (root / "_shared" / "raw" / "proto.ts").read_bytes()


def test_an_included_file_the_template_also_has_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = own_templates_root(monkeypatch, tmp_path / "templates")
    shutil.rmtree(root / "_shared", ignore_errors=True)
    shared_layer(root)
    write_template(root, "dup", {"include": {"hello.txt": "hello.txt"}}, {"hello.txt": "mine"})
    write_template(root, "gone", {"include": {"a.txt": "missing.txt"}})
    with pytest.raises(UsageError, match=r"has its own hello\.txt and includes it"):
        scaffold("foo", template="dup", dest=tmp_path / "ws")
    with pytest.raises(UsageError, match=r"includes .*missing\.txt, which does not exist"):
        scaffold("foo", template="gone", dest=tmp_path / "ws")
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(
    ("include", "problem"),
    [({}, "failed to render"), ({"app.py": "app.py"}, "includes files but has no project folder")],
)
def test_a_template_without_a_project_folder_is_refused(
    tmp_path: Path, include: dict[str, str], problem: str
) -> None:
    template = tmp_path / "flat"
    template.mkdir()
    meta = json.dumps({"name": "x", "_stcomp": {"include": include}})
    (template / "cookiecutter.json").write_text(meta)
    with pytest.raises(UsageError, match=problem):
        scaffold("foo", template=str(template), dest=tmp_path / "ws")
    assert not (tmp_path / "ws").exists()

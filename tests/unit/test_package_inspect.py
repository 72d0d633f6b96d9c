"""The wheel inspection of `stcomp package`: each problem a published component can have is
named, on wheels made here with exactly the entries under test."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from stcomp.package import inspect

DECLARATION = """[project]
name = "{project}"

[[tool.streamlit.component.components]]
name = "w"
asset_dir = "{asset_dir}"
"""
GOOD = {
    "w/__init__.py": "",
    "w/pyproject.toml": DECLARATION.format(project="w", asset_dir="build"),
    "w/build/index-abc123.js": "export default () => {}",
}


def wheel(tmp_path: Path, files: dict[str, str], version: str = "0.1.0") -> Path:
    path = tmp_path / f"w-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr(
            f"w-{version}.dist-info/METADATA",
            f"Metadata-Version: 2.4\nName: w\nVersion: {version}\n",
        )
    return path


def test_a_good_wheel_has_no_problems(tmp_path: Path) -> None:
    problems, version, files = inspect(wheel(tmp_path, GOOD), "w/build", source_maps=False)
    assert (problems, version, files) == ([], "0.1.0", 4)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"w/build/index-abc123.js": None}, "the built front end (w/build/) is missing"),
        ({"w/pyproject.toml": None}, None),  # checked separately below: v1 wheels have none
        ({"w/node_modules/react/index.js": "x"}, "w/node_modules/react/index.js"),
        ({"w/tests/test_w.py": "x"}, "w/tests/test_w.py"),
        ({"w/__pycache__/x.cpython-311.pyc": "x"}, "__pycache__"),
        ({"w/build/index-abc123.js.map": "{}"}, "source map w/build/index-abc123.js.map"),
        (
            {"w/pyproject.toml": DECLARATION.format(project="other", asset_dir="build")},
            "names project 'other', the wheel is 'w'",
        ),
        (
            {"w/pyproject.toml": DECLARATION.format(project="w", asset_dir="dist")},
            "its asset_dir w/dist/ is not in the wheel",
        ),
        ({"w/build/index-abc123.js": None, "w/build/style.css": "x"}, "no JavaScript in w/build/"),
        ({"w/pyproject.toml": "[project"}, "is not valid TOML"),
    ],
)
def test_each_problem_is_named(
    tmp_path: Path, change: dict[str, str | None], expected: str | None
) -> None:
    files = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    problems, _, _ = inspect(wheel(tmp_path, files), "w/build", source_maps=False)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_source_maps_pass_when_asked_for(tmp_path: Path) -> None:
    files = {**GOOD, "w/build/index-abc123.js.map": "{}"}
    assert inspect(wheel(tmp_path, files), "w/build", source_maps=True)[0] == []


def test_a_wheel_without_a_version_is_refused(tmp_path: Path) -> None:
    problems, _, _ = inspect(wheel(tmp_path, GOOD, version="0.0.0"), "w/build", False)
    assert problems == ["no version is set ([project] version)"]


def test_a_v2_project_must_ship_its_declaration(tmp_path: Path) -> None:
    files = {k: v for k, v in GOOD.items() if k != "w/pyproject.toml"}
    problems, _, _ = inspect(wheel(tmp_path, files), "w/build", False, declares_v2=True)
    assert len(problems) == 1 and "a regular install cannot find" in problems[0]

"""`stcomp package` refuses what is not fit to publish: one line naming it, exit 1 (2 for a stack
with nothing to package), and no wheel in dist/. The successful path, with its smoke check of
the installed wheel, runs for every template in test_templates_e2e.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stcomp.scaffold import scaffold
from tests.conftest import REPO, stcomp


@pytest.fixture
def html_component(tmp_path: Path) -> Path:
    """A scaffolded html component (no Node.js needed) in a new workspace."""
    scaffold("pkgw", template="html", dest=tmp_path)
    return tmp_path


def test_a_stack_without_a_package_is_exit_2(tmp_path: Path) -> None:
    result = stcomp("package", "zero", cwd=REPO, run_dir=tmp_path)
    assert result.returncode == 2
    assert "stack 'zero' has no 'package'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wheel_without_its_front_end_is_refused_and_not_kept(html_component: Path) -> None:
    pyproject = html_component / "pkgw" / "pyproject.toml"
    text = pyproject.read_text()
    assert '"frontend/*"' in text
    pyproject.write_text(text.replace('"frontend/*", "frontend/**/*"', ""))
    result = stcomp(
        "package", "pkgw", "--no-smoke", cwd=html_component, run_dir=html_component / ".run"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the built front end (pkgw/frontend/) is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((html_component / "pkgw").glob("dist/*"))


def test_a_failing_build_is_exit_1_and_leaves_no_wheel(html_component: Path) -> None:
    (html_component / "pkgw" / "pkgw" / "frontend" / "index.html").unlink()
    result = stcomp("package", "pkgw", cwd=html_component, run_dir=html_component / ".run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "service 'build'" in result.stderr and "failed" in result.stderr
    assert not (html_component / "pkgw" / "dist").exists()


def test_a_good_wheel_lands_in_dist_with_the_publish_commands(html_component: Path) -> None:
    result = stcomp(
        "package", "pkgw", "--no-smoke", cwd=html_component, run_dir=html_component / ".run"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    names = sorted(p.name for p in (html_component / "pkgw" / "dist").iterdir())
    assert names == ["pkgw-0.1.0-py3-none-any.whl", "pkgw-0.1.0.tar.gz"]
    assert "twine upload" in result.stdout and "uv publish" in result.stdout
    shutil.rmtree(html_component / "pkgw" / "dist")

"""One source each for the code every component copies: the v1 protocol module (streamlit.ts)
and the Python host (_host.py) live in the templates' shared layer; scaffold copies them byte
for byte, and the copies this repository keeps elsewhere must stay identical to them."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from stcomp.scaffold import scaffold
from stcomp.scaffold.templates import SHARED, discover, only
from tests.conftest import REPO

SHARED_LAYER = only(SHARED).path
PROTOCOL = SHARED_LAYER / "streamlit.ts"
HOST = SHARED_LAYER / "_host.py"
# Copies that cannot be rendered: the reference apps' front ends, the stcomp-host distribution.
COPIES = {
    REPO / "apps" / "hero" / "frontend" / "lib" / "streamlit.ts": PROTOCOL,
    REPO / "apps" / "auth0" / "frontend" / "lib" / "streamlit.ts": PROTOCOL,
    REPO / "host" / "src" / "stcomp_host" / "__init__.py": HOST,
}


@pytest.mark.parametrize("copy", list(COPIES), ids=lambda p: str(p.relative_to(REPO)))
def test_the_repositorys_copies_are_byte_identical(copy: Path) -> None:
    source = COPIES[copy]
    assert copy.read_bytes() == source.read_bytes(), (
        f"{copy.relative_to(REPO)} differs from {source.relative_to(REPO)}: change the shared "
        "source and copy it over (or the other way round for stcomp_host)"
    )


def test_no_template_holds_a_copy_of_its_own() -> None:
    shared = {PROTOCOL.read_bytes(), HOST.read_bytes()}
    for template in discover():
        copies = [p for p in template.path.rglob("*") if p.is_file() and p.read_bytes() in shared]
        assert copies == [], f"{template.name} has its own copy: include it from the shared layer"


@pytest.mark.parametrize("template", [t.name for t in discover()])
def test_a_generated_component_gets_exact_copies(tmp_path: Path, template: str) -> None:
    scaffold("foo", template=template, dest=tmp_path)
    component = tmp_path / "foo"
    if template.startswith("v2-"):  # the package's copy of the component declaration agrees
        outer = tomllib.loads((component / "pyproject.toml").read_text())
        inner = tomllib.loads((component / "foo" / "pyproject.toml").read_text())
        assert inner["tool"]["streamlit"] == outer["tool"]["streamlit"]
        assert inner["project"]["name"] == outer["project"]["name"] == "foo"
        return
    assert (component / "foo" / "_host.py").read_bytes() == HOST.read_bytes()
    for copy in component.glob("frontend/**/streamlit.ts"):
        assert copy.read_bytes() == PROTOCOL.read_bytes()


def test_a_generated_component_needs_streamlit_alone(tmp_path: Path) -> None:
    """Its app runs (Streamlit's AppTest) with stcomp and stcomp_host unimportable, and its
    component is named after the package's own _host module."""
    scaffold("foo", template="html", dest=tmp_path)
    script = f"""
import sys
sys.modules["stcomp"] = sys.modules["stcomp_host"] = None  # import of either fails
sys.path.insert(0, {str(tmp_path / "foo")!r})
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({str(tmp_path / "foo" / "app.py")!r}).run()
assert not app.exception, app.exception
print(app.get("component_instance")[0].proto.component_name)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "foo._host.foo"
    imports = [
        line
        for path in (tmp_path / "foo").rglob("*.py")
        if "tests" not in path.parts
        for line in path.read_text().splitlines()
        if line.startswith(("import stcomp", "from stcomp"))
    ]
    assert imports == []

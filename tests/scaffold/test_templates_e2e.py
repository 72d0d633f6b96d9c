"""Each built-in template, scaffolded into an empty folder outside the repository (a new
workspace) by stcomp installed from its wheel (not this checkout), runs as generated: `stcomp up`
on free ports with a browser round trip, `stcomp build` and `stcomp up --release`, its own
generated test, and `stcomp package` (the wheel installed into a fresh environment and rendered
in a browser); nothing is left running afterwards. The templates are discovered, so a new
template folder is tested here too."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from stcomp.config import find_config, parse_workspace
from stcomp.ports import free_ports, is_taken
from stcomp.scaffold.templates import discover
from tests.conftest import kill_all, processes_of, stcomp
from tests.scaffold import wheel_env
from tests.scaffold.browser import component_name, round_trip, round_trip_v2
from tests.scaffold.files import make_workspace

TEMPLATES = [template.name for template in discover()]


@pytest.fixture(scope="module")
def user_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of an environment with stcomp installed from its wheel."""
    return wheel_env.make(tmp_path_factory.mktemp("stcomp-wheel"))


@dataclass(frozen=True)
class Generated:
    workspace: Path
    name: str
    template: str
    python: Path

    @property
    def is_v2(self) -> bool:
        return self.template.startswith("v2-")

    @property
    def has_dev_server(self) -> bool:
        """Whether its stack runs a front-end dev server (a "component" service) in dev mode."""
        config = find_config(self.workspace)
        assert config is not None
        return "component" in parse_workspace(config).stack(self.name).services


@pytest.fixture(scope="module", params=TEMPLATES)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, user_python: Path
) -> Iterator[Generated]:
    """One scaffolded project per template, shared by the tests below (npm ci runs once)."""
    template: str = request.param
    workspace = tmp_path_factory.mktemp(f"workspace-{template}")
    name = f"sc_{template.replace('-', '_')}"
    began = time.monotonic()
    result = stcomp(
        "scaffold",
        name,
        "--template",
        template,
        cwd=workspace,
        run_dir=workspace / ".run",
        python=user_python,
    )
    print(f"\nscaffold {template}: {time.monotonic() - began:.2f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (workspace / "stcomp.toml").is_file()
    assert f"stcomp up {name}" in result.stdout
    yield Generated(workspace, name, template, user_python)
    uninstall_editable(user_python, name, workspace)


def uninstall_editable(python: Path, name: str, workspace: Path) -> None:
    """Undo what `stcomp up` installed for a v2 component (an editable install of its folder)
    in the user's environment, which is shared by the templates' tests."""
    subprocess.run([str(python), "-m", "pip", "uninstall", "-y", "-q", name], capture_output=True)


def stack_processes(name: str) -> list[psutil.Process]:
    """Live processes that stcomp started for stack ``name`` (from any run directory)."""
    found = []
    for proc in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error):
            if proc.pid != os.getpid() and proc.environ().get("STCOMP_STACK") == name:
                found.append(proc)
    return found


@contextlib.contextmanager
def running(
    project: Generated, run_dir: Path, *, release: bool = False
) -> Iterator[dict[str, int]]:
    """`stcomp up NAME -d` on free ports; `stcomp down NAME` afterwards, then a check that no
    process of the run is left and its ports are free."""
    keys = ["streamlit"] + (["component"] if project.has_dev_server and not release else [])
    ports = dict(zip(keys, free_ports(len(keys)), strict=True))
    args = ["up", project.name, "-d", *(f"--port={k}={v}" for k, v in ports.items())]
    began = time.monotonic()
    up = stcomp(
        *args,
        *(["--release"] if release else []),
        cwd=project.workspace,
        run_dir=run_dir,
        env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"},
        timeout=300,
        python=project.python,
    )
    print(
        f"\nup {project.template}{' --release' if release else ''}: {time.monotonic() - began:.2f} s"
    )
    try:
        assert up.returncode == 0, f"stcomp up failed:\n{up.stdout}\n{up.stderr}"
        yield ports
    finally:
        down = stcomp(
            "down", project.name, cwd=project.workspace, run_dir=run_dir, python=project.python
        )
        leftovers = processes_of(run_dir)
        kill_all(leftovers)
        assert down.returncode == 0, down.stdout + down.stderr
        assert leftovers == [], f"left running after down: {leftovers}"
        assert [p for p in ports.values() if is_taken(p)] == []


def test_dev_mode_round_trip(generated: Generated, tmp_path: Path) -> None:
    with running(generated, tmp_path / "run") as ports:
        if generated.is_v2:
            round_trip_v2(f"http://localhost:{ports['streamlit']}", generated.name)
            return
        dev_src = (
            f"http://localhost:{ports['component']}"
            if generated.has_dev_server
            else f"/component/{component_name(generated.name)}/"
        )
        round_trip(f"http://localhost:{ports['streamlit']}", generated.name, frame_src=dev_src)


def test_build_then_release_round_trip(generated: Generated, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    began = time.monotonic()
    build = stcomp(
        "build",
        generated.name,
        cwd=generated.workspace,
        run_dir=run_dir,
        timeout=300,
        python=generated.python,
    )
    print(f"\nbuild {generated.template}: {time.monotonic() - began:.2f} s")
    assert build.returncode == 0, build.stdout + build.stderr
    assert f"next: stcomp up {generated.name} --release" in build.stdout
    with running(generated, run_dir, release=True) as ports:
        if generated.is_v2:
            round_trip_v2(f"http://localhost:{ports['streamlit']}", generated.name)
            return
        round_trip(
            f"http://localhost:{ports['streamlit']}",
            generated.name,
            frame_src=f"/component/{component_name(generated.name)}/",
        )


def test_the_generated_test_passes(generated: Generated, tmp_path: Path) -> None:
    began = time.monotonic()
    result = subprocess.run(
        [
            str(generated.python),
            "-m",
            "pytest",
            f"{generated.name}/tests",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'basetemp'}",
        ],
        cwd=generated.workspace,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    print(f"\ngenerated test {generated.template}: {time.monotonic() - began:.2f} s")
    leftovers = stack_processes(generated.name)
    kill_all(leftovers)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert leftovers == [], f"left running by the generated test: {leftovers}"


def test_a_component_added_to_an_existing_workspace_runs(tmp_path: Path, user_python: Path) -> None:
    """In a project with a [tool.stcomp] table and apps/, the component lands in apps/NAME and
    runs next to the stacks already there."""
    root = make_workspace(tmp_path / "project")
    result = stcomp(
        "scaffold",
        "added",
        "--template",
        "html",
        cwd=root / "apps",
        run_dir=tmp_path / "run",
        python=user_python,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "apps" / "added" / "app.py").is_file()
    project = Generated(root, "added", "html", user_python)
    with running(project, tmp_path / "run") as ports:
        round_trip(
            f"http://localhost:{ports['streamlit']}",
            "added",
            frame_src=f"/component/{component_name('added')}/",
        )


# The v1 templates with a dev server. (A v2 stack's watch build writes into the package itself,
# and Vite 8 refuses a second watch build of one project: `check` beside `up` is refused there.)
WITH_DEV_SERVER = [t.name for t in discover() if t.needs_node and not t.name.startswith("v2-")]


@pytest.mark.parametrize("generated", WITH_DEV_SERVER, indirect=True)
def test_check_runs_beside_the_developers_dev_stack(generated: Generated) -> None:
    """`stcomp check` (and a component's own test) while `stcomp up NAME` runs: its dev
    server gets a build folder of its own (Next.js allows one dev server per build folder)."""
    own_run_dir = generated.workspace / ".stcomp"  # the workspace's own: `stcomp up` as a user
    with running(generated, own_run_dir):
        check = stcomp(
            "check",
            generated.name,
            "--json",
            cwd=generated.workspace,
            run_dir=own_run_dir,
            python=generated.python,
        )
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["ok"] is True


def test_package_makes_a_wheel_that_renders_when_installed(generated: Generated) -> None:
    """`stcomp package`: release build, wheel and sdist, inspection, and the wheel installed
    (regularly) into a fresh environment, its app rendered in a browser from outside the
    source tree. The wheel holds the built front end and nothing it does not need."""
    began = time.monotonic()
    result = stcomp(
        "package",
        generated.name,
        cwd=generated.workspace,
        run_dir=generated.workspace / ".run",
        timeout=600,
        python=generated.python,
    )
    print(f"\npackage {generated.template}: {time.monotonic() - began:.2f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "component(s) ready" in result.stdout
    assert "twine upload" in result.stdout
    dist = generated.workspace / generated.name / "dist"
    (wheel,) = dist.glob("*.whl")
    assert len(list(dist.glob("*.tar.gz"))) == 1
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    built = "frontend/" if generated.template == "html" else "build/"
    assert any(n.startswith(f"{generated.name}/{built}") for n in names), names
    assert not [n for n in names if "node_modules" in n or n.endswith((".map", ".pyc"))]
    assert not [n for n in names if "/tests/" in n or n.startswith("tests/")]
    if generated.is_v2:
        assert f"{generated.name}/pyproject.toml" in names


V2_TEMPLATES = [t.name for t in discover() if t.name.startswith("v2-")]


@pytest.mark.parametrize("generated", V2_TEMPLATES, indirect=True)
def test_check_with_a_browser_sees_the_v2_component(generated: Generated) -> None:
    """`stcomp check --browser` on a v2 stack: the package installed first, the watch build
    ready, and the component found in the page (no iframe) showing its greeting."""
    result = stcomp(
        "check",
        generated.name,
        "--browser",
        "--json",
        cwd=generated.workspace,
        run_dir=generated.workspace / ".check-run",
        timeout=300,
        python=generated.python,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (report,) = json.loads(result.stdout)["stacks"]
    browser = [c for c in report["checks"] if c["name"] == "browser round trip"]
    assert browser and f"v2 component (key {generated.name})" in browser[0]["detail"]

"""First run of a stack with a front end: npm ci from the lockfile, or a clear refusal."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from stcomp.ports import free_port
from tests.conftest import processes_of, stcomp

TOML = """
[ports]
web = 7401

[stacks.fe]
frontend = "frontend"
build = "cd frontend && node -e \\"require('fs').mkdirSync('out',{recursive:true});require('fs').writeFileSync('out/index.html','built')\\""
artifact = "frontend/out/index.html"
[stacks.fe.services.web]
port = "web"
probe = "http:/"
release = "web-release"
"""
PROCFILE = (
    "web: exec python -m http.server $WEB_PORT --bind 127.0.0.1 --directory frontend\n"
    "web-release: exec python -m http.server $WEB_PORT --bind 127.0.0.1 --directory frontend/out\n"
)


def workspace(folder: Path) -> Path:
    (folder / "stcomp.toml").write_text(TOML)
    (folder / "Procfile").write_text(PROCFILE)
    front = folder / "frontend"
    (front / "dep").mkdir(parents=True)
    (front / "dep" / "package.json").write_text('{"name": "dep", "version": "1.0.0"}')
    package = {
        "name": "fe",
        "version": "1.0.0",
        "private": True,
        "dependencies": {"dep": "file:dep"},
    }
    (front / "package.json").write_text(json.dumps(package))
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund"], cwd=front, check=True, capture_output=True
    )
    subprocess.run(["rm", "-rf", str(front / "node_modules")], check=True)
    return folder


def test_up_installs_missing_dependencies_then_runs(tmp_path: Path, run_dir: Path) -> None:
    ws = workspace(tmp_path)
    up = stcomp("up", "fe", "-d", "--port", f"web={free_port()}", cwd=ws, run_dir=run_dir)
    assert up.returncode == 0, up.stdout + up.stderr
    assert "installing front-end dependencies in frontend (npm ci)" in up.stdout  # not silent
    assert (ws / "frontend" / "node_modules" / "dep").exists()
    assert stcomp("down", "fe", cwd=ws, run_dir=run_dir).returncode == 0
    assert processes_of(run_dir) == []


def test_without_node_it_says_so_and_starts_nothing(tmp_path: Path, run_dir: Path) -> None:
    ws = workspace(tmp_path)
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("sh", "python", "python3"):
        found = subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip()
        if found:
            os.symlink(found, bare / tool)
    up = stcomp(
        "up", "fe", "--port", f"web={free_port()}", cwd=ws, run_dir=run_dir, env={"PATH": str(bare)}
    )
    assert up.returncode == 2
    assert "Node.js and npm are needed by stack 'fe'" in up.stderr
    assert "install Node.js 20 or newer" in up.stderr
    assert not (ws / "frontend" / "node_modules").exists()
    assert processes_of(run_dir) == []


def test_release_needs_a_build_then_runs_it(tmp_path: Path, run_dir: Path) -> None:
    ws = workspace(tmp_path)
    port = f"web={free_port()}"
    refused = stcomp("up", "fe", "-d", "--release", "--port", port, cwd=ws, run_dir=run_dir)
    assert refused.returncode == 2
    assert "run 'stcomp build fe' first" in refused.stderr
    built = stcomp("build", "fe", cwd=ws, run_dir=run_dir)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (ws / "frontend" / "out" / "index.html").read_text() == "built"
    up = stcomp("up", "fe", "-d", "--release", "--port", port, cwd=ws, run_dir=run_dir)
    assert up.returncode == 0, up.stderr
    assert "(release)" in up.stdout
    assert stcomp("down", cwd=ws, run_dir=run_dir).returncode == 0
    assert processes_of(run_dir) == []

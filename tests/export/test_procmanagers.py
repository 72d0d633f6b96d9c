"""systemd and supervisord exports: stcomp's order, stop signal and grace where each format has
a place for them; the supervisord export of the zero stack run for real by supervisord."""

from __future__ import annotations

import configparser
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil

from stcomp.config import Workspace
from stcomp.ports import free_port, is_taken
from tests.conftest import kill_all, processes_of, stcomp
from tests.export.conftest import BIN, export_stack


def test_systemd_units_order_readiness_and_stop(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "units"
    export_stack(workspace, "auth0", "systemd", out)
    released = workspace.stack("auth0").for_mode(True, workspace.procfile, {})
    for svc in released.services.values():
        unit = (out / f"auth0-{svc.name}-1.service").read_text()
        for dep in svc.needs:
            assert f"Requires=auth0-{dep}-1.service" in unit
            assert f"After=auth0-{dep}-1.service" in unit
        for dep in getattr(svc, "uses", ()):
            assert f"Wants=auth0-{dep}-1.service" in unit
        assert f"KillSignal={svc.stop_signal.name}" in unit
        assert f"TimeoutStopSec={max(1, round(svc.grace))}" in unit
        assert "KillMode=control-group" in unit
        assert f"EnvironmentFile=-{workspace.env_file}" in unit
        path = getattr(svc.probe, "path", None)
        port = workspace.ports[svc.port] if svc.port else None
        assert f"wait-ready.py http://127.0.0.1:{port}{path} " in unit
        for secret in workspace.stack("auth0").secrets:
            assert f"Environment={secret}=" not in unit
    command = (out / "auth0-component-1.service").read_text()
    assert "-p $${COMPONENT_PORT:-3001}" in command, "systemd must leave ${...} to the shell"
    assert (out / "auth0.target").is_file()


def programs(conf: Path) -> dict[str, configparser.SectionProxy]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(conf.read_text())
    return {name.split(":", 1)[1]: parser[name] for name in parser if name.startswith("program:")}


def test_supervisord_programs_priority_and_stop(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "sv"
    export_stack(workspace, "auth0", "supervisord", out)
    found = programs(out / "auth0.conf")
    order = [
        s.name for s in workspace.stack("auth0").for_mode(True, workspace.procfile, {}).ordered()
    ]
    assert list(found) == [f"{name}-1" for name in order]
    priorities = [int(found[f"{name}-1"]["priority"]) for name in order]
    assert priorities == sorted(priorities) and len(set(priorities)) == len(priorities)
    for name in order:
        program = found[f"{name}-1"]
        svc = workspace.stack("auth0").services[name]
        assert program["stopsignal"] == svc.stop_signal.name.removeprefix("SIG")
        assert int(program["stopwaitsecs"]) >= svc.grace
        assert program["stopasgroup"] == "true" and program["killasgroup"] == "true"
        assert "AUTH0_CLIENT_SECRET" not in program["environment"]


def test_supervisord_runs_the_zero_stack(tmp_path: Path) -> None:
    """supervisord starts the exported zero stack on a free port, Streamlit answers its health
    check, and stopping supervisord leaves no process and no listening port behind."""
    run_dir, out, port = tmp_path / "run", tmp_path / "sv", free_port()
    run_dir.mkdir()
    made = stcomp(
        "export", "zero", "--format", "supervisord", "--out", str(out),
        cwd=Path(__file__).resolve().parents[2], run_dir=run_dir, env={"STREAMLIT_PORT": str(port)},
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    daemon = subprocess.Popen(
        [str(BIN / "supervisord"), "-n", "-c", str(out / "supervisord.conf")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, answer = time.monotonic() + 60, ""
        while time.monotonic() < deadline and answer != "ok":
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    answer = r.read().decode()
            except OSError:
                time.sleep(0.1)
        assert answer == "ok", (out / "logs" / "streamlit-1.error.log").read_text()
        started = processes_of(run_dir)
        assert started, "the program carries STCOMP_RUN_DIR"
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
        _, alive = psutil.wait_procs(started, timeout=5)
        assert not alive and not processes_of(run_dir)
        assert not is_taken(port)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        kill_all(processes_of(run_dir))

"""The CLI with real processes on free ports: start-up order, faults, and clean teardown.

Each test builds a small workspace (stcomp.toml + Procfile) whose services are Python's own
http.server, shell scripts that crash, hang or ignore SIGTERM. Every test checks the exit code,
the message, and that no process or listening port is left.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from stcomp.ports import free_port, is_taken
from tests.conftest import processes_of, stcomp

SERVE = "exec python -m http.server {port} --bind 127.0.0.1"

TOML = """
[ports]
web = 7101
api = 7102

[stacks.pair]
open = "web"
timeout = {timeout}
[stacks.pair.services.api]
port = "api"
probe = "http:/"
grace = 1
[stacks.pair.services.web]
port = "web"
probe = "tcp"
needs = ["api"]
grace = 1
"""


def workspace(folder: Path, *, api: str, web: str, timeout: float = 20) -> Path:
    (folder / "stcomp.toml").write_text(TOML.format(timeout=timeout))
    (folder / "Procfile").write_text(f"api: {api}\nweb: {web}\n")
    return folder


@pytest.fixture
def ports() -> dict[str, int]:
    return {"web": free_port(), "api": free_port()}


def port_args(ports: dict[str, int]) -> list[str]:
    return [arg for name, number in ports.items() for arg in ("--port", f"{name}={number}")]


def assert_nothing_left(run_dir: Path, ports: dict[str, int]) -> None:
    assert processes_of(run_dir) == []
    assert [p for p in ports.values() if is_taken(p)] == []


def test_up_detached_status_logs_down(tmp_path: Path, run_dir: Path, ports: dict[str, int]) -> None:
    # web checks at start that api already answers: proof of the start-up order
    web = (
        'python -c "import os,urllib.request as u;'
        "u.urlopen('http://127.0.0.1:'+os.environ['API_PORT']+'/')\" && "
        + SERVE.format(port="$WEB_PORT")
    )
    ws = workspace(tmp_path, api=SERVE.format(port="$API_PORT"), web=web)
    up = stcomp("up", "pair", "-d", *port_args(ports), cwd=ws, run_dir=run_dir)
    assert up.returncode == 0, up.stderr
    assert "ready" in up.stdout
    assert f"http://127.0.0.1:{ports['web']}" in up.stdout

    status = stcomp("status", "--json", cwd=ws, run_dir=run_dir)
    rows = {r["service"]: r for r in json.loads(status.stdout)}
    assert rows["api"]["state"] == rows["web"]["state"] == "ready"
    assert rows["web"]["port"] == ports["web"]
    assert rows["api"]["pid"] and rows["api"]["memory_mb"] > 0

    urlopen_log = stcomp("logs", "pair", "api", "-n", "5", cwd=ws, run_dir=run_dir)
    assert urlopen_log.returncode == 0
    assert '"GET / HTTP/1.1" 200' in urlopen_log.stdout  # the probe's and web's requests

    again = stcomp("up", "pair", "-d", *port_args(ports), cwd=ws, run_dir=run_dir)
    assert again.returncode == 2
    assert "already running or starting" in again.stderr

    down = stcomp("down", "pair", cwd=ws, run_dir=run_dir)
    assert down.returncode == 0, down.stderr
    assert "stopped pair" in down.stdout
    assert_nothing_left(run_dir, ports)
    assert stcomp("down", cwd=ws, run_dir=run_dir).stdout.strip() == "nothing is running"


def test_a_service_that_crashes_at_start(
    tmp_path: Path, run_dir: Path, ports: dict[str, int]
) -> None:
    ws = workspace(
        tmp_path,
        api=SERVE.format(port="$API_PORT"),
        web="echo 'web: missing config file'; exit 3",
    )
    up = stcomp("up", "pair", *port_args(ports), cwd=ws, run_dir=run_dir)
    assert up.returncode == 1
    assert "service 'web' exited with code 3 before it was ready" in up.stderr
    assert "web: missing config file" in up.stderr  # the log tail
    assert_nothing_left(run_dir, ports)


def test_a_service_that_never_becomes_ready(
    tmp_path: Path, run_dir: Path, ports: dict[str, int]
) -> None:
    ws = workspace(
        tmp_path,
        api="echo waiting forever; exec sleep 600",
        web=SERVE.format(port="$WEB_PORT"),
        timeout=1.5,
    )
    up = stcomp("up", "pair", "-d", *port_args(ports), cwd=ws, run_dir=run_dir)
    assert up.returncode == 1
    assert "service 'api' was not ready after 1.5 s (probe GET /)" in up.stderr
    assert "waiting forever" in up.stderr
    assert_nothing_left(run_dir, ports)


def test_a_taken_port_starts_nothing(tmp_path: Path, run_dir: Path, ports: dict[str, int]) -> None:
    ws = workspace(tmp_path, api=SERVE.format(port="$API_PORT"), web=SERVE.format(port="$WEB_PORT"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", ports["web"]))
        sock.listen()
        up = stcomp("up", "pair", *port_args(ports), cwd=ws, run_dir=run_dir)
    assert up.returncode == 2
    assert f"port {ports['web']} is taken by pid {os.getpid()}" in up.stderr
    assert "--port NAME=NUMBER" in up.stderr
    assert len(up.stderr.strip().splitlines()) == 1
    assert not (run_dir / "pair" / "logs").exists()
    assert_nothing_left(run_dir, ports)


def test_down_after_the_supervisor_was_killed(
    tmp_path: Path, run_dir: Path, ports: dict[str, int]
) -> None:
    # api also starts a grandchild in a session of its own: it must not survive either
    api = "setsid sleep 600 & " + SERVE.format(port="$API_PORT")
    ws = workspace(tmp_path, api=api, web=SERVE.format(port="$WEB_PORT"))
    up = stcomp("up", "pair", "-d", *port_args(ports), cwd=ws, run_dir=run_dir)
    assert up.returncode == 0, up.stderr
    record = json.loads((run_dir / "pair" / "state.json").read_text())
    os.kill(record["supervisor_pid"], signal.SIGKILL)
    psutil.wait_procs([psutil.Process(record["supervisor_pid"])], timeout=5)
    assert len(processes_of(run_dir)) >= 3  # services outlive their supervisor

    status = stcomp("status", "--json", cwd=ws, run_dir=run_dir)
    assert {r["state"] for r in json.loads(status.stdout)} == {"ready (no supervisor)"}
    down = stcomp("down", cwd=ws, run_dir=run_dir)
    assert down.returncode == 0, down.stdout + down.stderr
    assert_nothing_left(run_dir, ports)


def test_a_recycled_pid_is_never_killed(
    tmp_path: Path, run_dir: Path, ports: dict[str, int]
) -> None:
    ws = workspace(tmp_path, api=SERVE.format(port="$API_PORT"), web=SERVE.format(port="$WEB_PORT"))
    bystander = subprocess.Popen(["sleep", "600"], start_new_session=True)
    try:
        fake = {
            "format": 2, "stack": "pair", "mode": "dev", "workspace": str(ws), "supervisor_pid": bystander.pid,
            "supervisor_create_time": 1.0, "started_at": 1.0, "state": "ready", "error": None,
            "services": {"api": {
                "name": "api", "process": "api", "port": ports["api"], "url": None, "log": "x",
                "state": "ready", "pid": bystander.pid, "pgid": bystander.pid, "create_time": 1.0,
            }},
        }  # fmt: skip
        (run_dir / "pair").mkdir()
        (run_dir / "pair" / "state.json").write_text(json.dumps(fake))
        down = stcomp("down", "pair", cwd=ws, run_dir=run_dir)
        assert down.returncode == 0
        assert bystander.poll() is None  # same pid, other create time: not ours
    finally:
        bystander.kill()
        bystander.wait()


def test_a_service_that_ignores_sigterm_is_killed_after_its_grace(
    tmp_path: Path, run_dir: Path, ports: dict[str, int]
) -> None:
    stubborn = "trap '' TERM; " + SERVE.format(port="$API_PORT").replace("exec ", "")
    ws = workspace(tmp_path, api=stubborn, web=SERVE.format(port="$WEB_PORT"))
    assert stcomp("up", "pair", "-d", *port_args(ports), cwd=ws, run_dir=run_dir).returncode == 0
    began = time.monotonic()
    down = stcomp("down", "pair", cwd=ws, run_dir=run_dir)
    assert down.returncode == 0, down.stdout
    assert time.monotonic() - began >= 1.0  # its grace (1 s) was waited out, then SIGKILL
    assert_nothing_left(run_dir, ports)


def test_ctrl_c_mid_startup_tears_down(
    tmp_path: Path, run_dir: Path, ports: dict[str, int]
) -> None:
    # web never gets to start: api is slow; Ctrl-C arrives while api is still starting
    ws = workspace(
        tmp_path,
        api="sleep 30; " + SERVE.format(port="$API_PORT"),
        web=SERVE.format(port="$WEB_PORT"),
    )
    env = dict(os.environ, STCOMP_RUN_DIR=str(run_dir))
    proc = subprocess.Popen(
        [sys.executable, "-m", "stcomp", "up", "pair", *port_args(ports)],
        cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    state_file = run_dir / "pair" / "state.json"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if state_file.exists() and '"starting"' in state_file.read_text():
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("api never reached 'starting'")
    assert processes_of(run_dir)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err
    assert_nothing_left(run_dir, ports)
    assert not state_file.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["up", "nope"], "unknown stack 'nope'"),
        (["up", "pair", "--port", "web=abc"], "--port 'web=abc' is not NAME=NUMBER"),
        (["logs", "pair", "ghost"], "stack 'pair' has no service 'ghost'"),
        (["down", "nope"], "unknown stack 'nope'"),
    ],
)
def test_bad_input_exits_2_and_starts_nothing(
    tmp_path: Path, run_dir: Path, args: list[str], message: str
) -> None:
    ws = workspace(tmp_path, api=SERVE.format(port="$API_PORT"), web=SERVE.format(port="$WEB_PORT"))
    result = stcomp(*args, cwd=ws, run_dir=run_dir)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert processes_of(run_dir) == []


def test_a_malformed_definition_names_file_and_key(tmp_path: Path, run_dir: Path) -> None:
    ws = workspace(tmp_path, api="true", web="true")
    (ws / "stcomp.toml").write_text(
        TOML.format(timeout=5).replace('probe = "tcp"', 'probe = "udp"')
    )
    result = stcomp("up", "pair", cwd=ws, run_dir=run_dir)
    assert result.returncode == 2
    assert f"{ws / 'stcomp.toml'}: [stacks.pair.services.web] key 'probe'" in result.stderr


def test_foreground_up_shows_progress_then_prefixed_logs(
    tmp_path: Path, run_dir: Path, ports: dict[str, int]
) -> None:
    api = "echo api says hello; " + SERVE.format(port="$API_PORT")
    ws = workspace(tmp_path, api=api, web=SERVE.format(port="$WEB_PORT"))
    env = dict(os.environ, STCOMP_RUN_DIR=str(run_dir), COLUMNS="200")
    proc = subprocess.Popen(
        [sys.executable, "-m", "stcomp", "up", "pair", *port_args(ports)],
        cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            seen.append(line)
            if any("ready in" in s for s in seen) and any("says hello" in s for s in seen):
                break
        assert any("api starting" in s for s in seen), seen
        assert any(s.startswith("web ready after") for s in seen), seen
        assert any("stack pair (dev) ready in" in s for s in seen), seen
        hello = next(s for s in seen if "api says hello" in s)
        assert "api" in hello.split("|")[0]  # prefixed with the service's name
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert_nothing_left(run_dir, ports)

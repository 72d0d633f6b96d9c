"""The supervisor under faults, with real processes: races, foreign listeners, damaged state,
unusable run directories, floods, liveness and restarts. Each test checks the exit code, the
message, and that no process, port or lock is left behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from stcomp.ports import free_ports, is_taken
from tests.conftest import REPO, processes_of, stcomp

ADVERSARY = f"exec {sys.executable} -m tests.integration.services.adversary"


def workspace(
    folder: Path,
    services: dict[str, str],
    *,
    top: str = "",
    keys: dict[str, str] | None = None,
    timeout: float = 20,
) -> Path:
    """A stack 'adv' with one service per entry (name -> command), each on its own port;
    ``top`` goes before the tables, ``keys`` adds lines to a service's table."""
    toml = [top, "[ports]\n", *(f"{n} = {7200 + i}\n" for i, n in enumerate(services))]
    toml.append(f"[stacks.adv]\ntimeout = {timeout}\n")
    for name in services:
        more = (keys or {}).get(name, "")
        toml.append(f'[stacks.adv.services.{name}]\nport = "{name}"\ngrace = 1\n{more}')
    (folder / "stcomp.toml").write_text("".join(toml))
    (folder / "Procfile").write_text("".join(f"{n}: {c}\n" for n, c in services.items()))
    return folder


def env_for(folder: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(REPO)}


def ports_for(names: list[str]) -> tuple[dict[str, int], list[str]]:
    chosen = dict(zip(names, free_ports(len(names)), strict=True))
    return chosen, [a for n, p in chosen.items() for a in ("--port", f"{n}={p}")]


def wait_for(predicate, timeout: float = 20.0, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    """Poll a condition of the outside world (another process's state) until it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def up_in_background(ws: Path, run_dir: Path, args: list[str]) -> subprocess.Popen[str]:
    """`stcomp up adv -d` as a process of its own, to act on the world while it starts."""
    return subprocess.Popen(
        [sys.executable, "-m", "stcomp", "up", "adv", "-d", *args],
        cwd=ws,
        env=dict(os.environ, STCOMP_RUN_DIR=str(run_dir), **env_for(ws)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def state_of(run_dir: Path) -> dict[str, object] | None:
    try:
        return json.loads((run_dir / "adv" / "state.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


@pytest.fixture
def clean(run_dir: Path) -> Iterator[Path]:
    yield run_dir
    assert processes_of(run_dir) == [], "processes left behind"


def test_two_ups_at_the_same_instant_one_wins(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0.3"})
    ports, args = ports_for(["web"])
    full_env = dict(os.environ, STCOMP_RUN_DIR=str(clean), COLUMNS="200", **env_for(ws))
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "stcomp", "up", "adv", "-d", *args],
            cwd=ws, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    results = [(r.wait(60), r.stderr.read() if r.stderr else "") for r in racers]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "already running or starting" in loser or "held by another stcomp" in loser
    status = json.loads(stcomp("status", "--json", cwd=ws, run_dir=clean).stdout)
    assert [r["state"] for r in status] == ["ready"], "the winner is recorded"
    assert stcomp("down", "adv", cwd=ws, run_dir=clean).returncode == 0
    assert not is_taken(ports["web"])


def test_a_foreign_listener_is_not_taken_for_the_service(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 3"})
    ports, args = ports_for(["web"])
    up = up_in_background(ws, clean, args)
    wait_for(
        lambda: (s := state_of(clean)) is not None and s["services"]["web"]["state"] == "starting",  # type: ignore[index]
        what="the service to start",
    )
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", ports["web"]))
        squatter.listen()
        code = up.wait(30)
        err = up.stderr.read() if up.stderr else ""
    assert code == 1, err
    assert f"is not the one answering on port {ports['web']}" in err
    assert f"pid {os.getpid()}" in err  # names the holder: this test process


@pytest.mark.parametrize(
    "damage",
    [b"", b'{"format": 2, "stack": ', b"\xff\xfe\x00", b"[1, 2, 3]", b'{"format": 1}',
     b'{"format": 2, "stack": "adv", "mode": "dev", "extra": 1}'],
)  # fmt: skip
def test_a_damaged_state_file_is_one_clear_line(tmp_path: Path, clean: Path, damage: bytes) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    (clean / "adv").mkdir()
    (clean / "adv" / "state.json").write_bytes(damage)
    for command in (["up", "adv", "-d"], ["down", "adv"], ["status"], ["down"]):
        result = stcomp(*command, cwd=ws, run_dir=clean, env=env_for(ws))
        assert result.returncode == 2, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert "state.json" in lines[0] and "delete" in lines[0]


def test_an_unverified_pid_in_the_state_file_is_never_signalled(
    tmp_path: Path, clean: Path
) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    bystander = subprocess.Popen(["sleep", "600"], start_new_session=True)
    try:
        for create_time in (0, None):
            record = {
                "format": 2, "stack": "adv", "mode": "dev", "workspace": str(ws),
                "supervisor_pid": bystander.pid, "supervisor_create_time": 0.0,
                "started_at": 1.0, "state": "ready",
                "services": {"web": {
                    "name": "web", "process": "web", "port": None, "url": None, "log": "x",
                    "state": "ready", "pid": bystander.pid, "pgid": bystander.pid,
                    "create_time": create_time,
                }},
            }  # fmt: skip
            (clean / "adv").mkdir(exist_ok=True)
            (clean / "adv" / "state.json").write_text(json.dumps(record))
            down = stcomp("down", "adv", cwd=ws, run_dir=clean)
            assert down.returncode == 0, down.stderr
            assert bystander.poll() is None, "an unrelated process was signalled"
    finally:
        bystander.kill()
        bystander.wait()


def test_an_unusable_run_directory_starts_nothing(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    _, args = ports_for(["web"])
    result = stcomp(
        "up", "adv", "-d", *args, "--run-dir", str(blocker / "run"), cwd=ws, run_dir=clean
    )
    assert result.returncode == 2
    assert "cannot be used" in result.stderr and str(blocker) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_detached_supervisor_killed_mid_start_is_explained(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 5"})
    ports, args = ports_for(["web"])
    up = up_in_background(ws, clean, args)
    wait_for(lambda: state_of(clean) is not None, what="the state file")
    state = state_of(clean)
    assert state is not None
    os.kill(int(state["supervisor_pid"]), signal.SIGKILL)  # type: ignore[arg-type]
    assert up.wait(30) == 1
    err = up.stderr.read() if up.stderr else ""
    assert "killed by SIGKILL" in err and "stcomp down adv" in err
    down = stcomp("down", "adv", cwd=ws, run_dir=clean)
    assert down.returncode == 0, down.stdout + down.stderr
    assert not is_taken(ports["web"])


def test_a_flood_is_bounded_and_ctrl_c_is_answered(tmp_path: Path, clean: Path) -> None:
    ws = workspace(
        tmp_path,
        {"web": f"{ADVERSARY} flood $WEB_PORT 100"},
        top="log_size_mb = 5\n",
        timeout=120,  # a loaded machine: the flood competes with the probe for the CPU
    )
    _, args = ports_for(["web"])
    errors = tmp_path / "up.err"
    with open(errors, "wb") as err:
        up = subprocess.Popen(
            [sys.executable, "-m", "stcomp", "up", "adv", *args],
            cwd=ws,
            env=dict(os.environ, STCOMP_RUN_DIR=str(clean), **env_for(ws)),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    log = clean / "adv" / "logs" / "web.log"
    wait_for(lambda: log.exists() and log.stat().st_size > 2**20, what="the flood to begin")
    wait_for(
        lambda: (s := state_of(clean)) is not None and s["state"] == "ready",
        timeout=120,
        what="the stack to be ready",
    )
    peak = 0
    for _ in range(20):  # watch the supervisor's memory while the flood goes on
        peak = max(peak, psutil.Process(up.pid).memory_info().rss)
        time.sleep(0.05)
    began = time.monotonic()
    up.send_signal(signal.SIGINT)
    assert up.wait(30) == 130, errors.read_text()
    latency = time.monotonic() - began
    assert latency < 5.0, f"Ctrl-C answered after {latency:.1f} s"
    assert peak < 300 * 2**20, f"supervisor RSS {peak / 2**20:.0f} MB"
    sizes = [p.stat().st_size for p in log.parent.glob("web.log*")]
    assert max(sizes) <= 5 * 2**20 + 2**17, sizes  # rotated at 5 MB
    tail = stcomp("logs", "adv", "web", "-n", "5", cwd=ws, run_dir=clean)
    assert tail.returncode == 0 and len(tail.stdout.splitlines()) <= 5


def test_an_unanswering_service_is_unhealthy_and_a_crash_is_restarted(
    tmp_path: Path, clean: Path
) -> None:
    flag = tmp_path / "hang-now"
    ws = workspace(
        tmp_path,
        {"web": f"{ADVERSARY} hang $WEB_PORT", "api": f"{ADVERSARY} crash $API_PORT 1.5"},
        keys={"api": 'restart = "on-failure"\nmax_restarts = 3\n'},
    )
    _, args = ports_for(["web", "api"])
    env = {**env_for(ws), "HANG_FILE": str(flag)}
    assert stcomp("up", "adv", "-d", *args, cwd=ws, run_dir=clean, env=env).returncode == 0
    try:
        flag.write_text("now")

        def rows() -> dict[str, dict[str, object]]:
            out = stcomp("status", "--json", cwd=ws, run_dir=clean).stdout
            return {r["service"]: r for r in json.loads(out)}

        wait_for(lambda: rows()["web"]["state"] == "unhealthy", 30, "web to be unhealthy")
        wait_for(lambda: (rows()["api"].get("restarts") or 0) >= 1, 30, "api to restart")
        wait_for(lambda: rows()["api"]["state"] in ("ready", "starting", "restarting"), 10, "api")
    finally:
        down = stcomp("down", "adv", cwd=ws, run_dir=clean)
    assert down.returncode == 0, down.stdout + down.stderr


def test_a_new_run_starts_new_logs_stamped_when_written(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    _, args = ports_for(["web"])
    for _ in range(2):
        assert (
            stcomp("up", "adv", "-d", *args, cwd=ws, run_dir=clean, env=env_for(ws)).returncode == 0
        )
        assert stcomp("down", "adv", cwd=ws, run_dir=clean).returncode == 0
    log = clean / "adv" / "logs" / "web.log"
    assert log.read_text().count("serving on") == 1, "the current generation has one run"
    assert (log.parent / "web.log.1").read_text().count("serving on") == 1
    written = log.read_text().split(" ", 1)[0]  # 2026-11-24T06:19:03.123
    shown = stcomp("logs", "adv", "web", cwd=ws, run_dir=clean).stdout
    assert shown.count("serving on") == 1
    assert shown.startswith(written[11:19]), (written, shown)


def test_down_names_who_holds_a_port_still_taken(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        record = {
            "format": 2, "stack": "adv", "mode": "dev", "workspace": str(ws),
            "supervisor_pid": 1, "supervisor_create_time": 1.0, "started_at": 1.0,
            "state": "ready", "services": {"web": {
                "name": "web", "process": "web", "port": port, "url": None, "log": "x",
                "state": "ready", "pid": None, "pgid": None, "create_time": None,
            }},
        }  # fmt: skip
        (clean / "adv").mkdir()
        (clean / "adv" / "state.json").write_text(json.dumps(record))
        down = stcomp("down", "adv", cwd=ws, run_dir=clean)
    assert down.returncode == 1
    assert f"port {port} is taken by pid {os.getpid()}" in down.stdout


def _is_stcomp(proc: psutil.Process) -> bool:
    try:
        return "stcomp" in " ".join(proc.cmdline()) or "STCOMP_RUN_ID" in proc.environ()
    except psutil.Error:
        return False


def test_fifty_up_down_loops_leak_nothing(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    ports, args = ports_for(["web"])
    me = psutil.Process()
    fds_before = me.num_fds()
    for _ in range(50):
        assert (
            stcomp("up", "adv", "-d", *args, cwd=ws, run_dir=clean, env=env_for(ws)).returncode == 0
        )
        assert stcomp("down", "adv", cwd=ws, run_dir=clean).returncode == 0
    assert not is_taken(ports["web"])
    assert processes_of(clean) == []
    zombies = [
        p for p in psutil.process_iter(["status"]) if p.info["status"] == psutil.STATUS_ZOMBIE
    ]
    assert all(z.ppid() != me.pid for z in zombies)
    # other fixtures' children (a browser of the e2e session) come and go: only ours count
    ours = [c for c in me.children(recursive=True) if _is_stcomp(c)]
    assert ours == []
    assert me.num_fds() == fds_before
    assert not (clean / "adv" / "state.json").exists()


@pytest.mark.parametrize("asked", ["through the control FIFO", "by signal, without it"])
def test_down_stops_and_reports_a_service_child_that_escaped_its_group(
    tmp_path: Path, clean: Path, asked: str
) -> None:
    escapee = f"setsid {sys.executable} -c 'import time; time.sleep(600)' &"
    ws = workspace(tmp_path, {"web": f"{escapee} {ADVERSARY} late $WEB_PORT 0"})
    _, args = ports_for(["web"])
    assert stcomp("up", "adv", "-d", *args, cwd=ws, run_dir=clean, env=env_for(ws)).returncode == 0
    assert any("time.sleep(600)" in " ".join(p.cmdline()) for p in processes_of(clean))
    control = clean / "adv" / "control"
    assert stat.S_ISFIFO(control.stat().st_mode)
    if asked == "by signal, without it":  # as with a supervisor of an older stcomp
        control.unlink()
    down = stcomp("down", "adv", cwd=ws, run_dir=clean)
    assert down.returncode == 0, down.stdout + down.stderr
    assert "also stopped" in down.stdout and "time.sleep(600)" in down.stdout


def test_down_stops_a_running_stack_that_its_definition_no_longer_names(
    tmp_path: Path, clean: Path
) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    _, args = ports_for(["web"])
    assert stcomp("up", "adv", "-d", *args, cwd=ws, run_dir=clean, env=env_for(ws)).returncode == 0
    config = ws / "stcomp.toml"
    config.write_text(config.read_text().replace("stacks.adv", "stacks.renamed"))
    down = stcomp("down", "adv", cwd=ws, run_dir=clean)
    assert down.returncode == 0, down.stdout + down.stderr
    assert "stopped adv (web)" in down.stdout
    assert processes_of(clean) == []
    again = stcomp("down", "adv", cwd=ws, run_dir=clean)  # now an unknown name, as before
    assert again.returncode == 2 and "adv" in again.stderr + again.stdout


def _stcomp_running(args: list[str], ws: Path, clean: Path) -> subprocess.Popen[str]:
    """``stcomp ARGS`` started and left running, as ``stcomp`` (conftest) runs it."""
    env = dict(os.environ, STCOMP_RUN_DIR=str(clean), COLUMNS="200", **env_for(ws))
    return subprocess.Popen(
        [sys.executable, "-m", "stcomp", *args],
        cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("detached", [True, False], ids=["up -d", "up in the foreground"])
def test_down_while_the_stack_is_still_starting(
    tmp_path: Path, clean: Path, detached: bool
) -> None:
    """down asks through the FIFO while the supervisor waits for a service to be ready."""
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 30"})
    _, args = ports_for(["web"])
    up = _stcomp_running(["up", "adv", *args, *(["-d"] if detached else [])], ws, clean)
    try:
        control, state_file = clean / "adv" / "control", clean / "adv" / "state.json"
        wait_for(
            lambda: (
                control.exists() and state_file.exists() and '"starting"' in state_file.read_text()
            ),
            what="web starting",
        )
        down = stcomp("down", "adv", cwd=ws, run_dir=clean)
        out, err = up.communicate(timeout=30)
    finally:
        up.kill()
        up.wait()
    assert down.returncode == 0, down.stdout + down.stderr
    assert "stopped adv (web)" in down.stdout
    assert up.returncode == (1 if detached else 130), out + err
    assert processes_of(clean) == []
    assert not state_file.exists() and not control.exists()


def test_two_downs_at_once_stop_the_stack_once(tmp_path: Path, clean: Path) -> None:
    ws = workspace(tmp_path, {"web": f"{ADVERSARY} late $WEB_PORT 0"})
    _, args = ports_for(["web"])
    assert stcomp("up", "adv", "-d", *args, cwd=ws, run_dir=clean, env=env_for(ws)).returncode == 0
    downs = [_stcomp_running(["down", "adv"], ws, clean) for _ in range(2)]
    results = [(d.wait(30), *d.communicate()) for d in downs]
    for code, out, err in results:
        assert code == 0, out + err
        assert "stopped adv" in out or "not running" in out, out
    assert processes_of(clean) == []
    assert not (clean / "adv" / "state.json").exists()
    assert stcomp("status", cwd=ws, run_dir=clean).stdout.strip() == "nothing is running"

"""Ports, environment and local secrets of a run; port conflicts found before anything starts."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from stcomp.config import parse_workspace
from stcomp.errors import UsageError
from stcomp.plan import check_ports, make_plan, parse_port_overrides
from stcomp.ports import free_port

from .fakes import CHAIN, CHAIN_PROCFILE, write_workspace


def workspace(tmp_path: Path, extra: str = "") -> object:
    return parse_workspace(
        write_workspace(tmp_path, CHAIN + extra, CHAIN_PROCFILE), run_dir=tmp_path / "run"
    )


def test_port_precedence_flag_then_environment_then_definition(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    plan = make_plan(ws, "chain", port_overrides={"a": 9101}, base_env={"B_PORT": "9102"})
    assert plan.ports["a"] == 9101
    assert plan.ports["b"] == 9102
    assert plan.ports["c"] == 7003
    assert plan.env["A_PORT"] == "9101"
    assert plan.env["C_URL"] == "http://127.0.0.1:7003"
    assert plan.env["PYTHONUNBUFFERED"] == "1"
    assert plan.env["NEXT_TELEMETRY_DISABLED"] == "1"
    assert plan.env["STCOMP_RUN_DIR"] == str(tmp_path / "run")
    assert "STCOMP_RELEASE" not in plan.env
    assert make_plan(ws, "chain", release=True, base_env={}).env["STCOMP_RELEASE"] == "1"


def test_dotenv_fills_in_but_the_shell_wins(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    (tmp_path / ".env").write_text("GREETING=from-file\nOTHER=file\n")
    plan = make_plan(ws, "chain", base_env={"OTHER": "shell"})
    assert plan.env["GREETING"] == "from-file"
    assert plan.env["OTHER"] == "shell"


@pytest.mark.parametrize("item", ["a", "a=", "a=x", "a=70000", "zz=5000"])
def test_bad_port_overrides_are_usage_errors(tmp_path: Path, item: str) -> None:
    with pytest.raises(UsageError, match="--port"):
        parse_port_overrides([item], {"a": 1})


def test_local_secrets_are_generated_once_and_private(tmp_path: Path) -> None:
    ws = parse_workspace(
        write_workspace(
            tmp_path,
            CHAIN.replace("timeout = 10", 'timeout = 10\nsecrets = ["S1"]'),
            CHAIN_PROCFILE,
        ),
        run_dir=tmp_path / "run",
    )
    first = make_plan(ws, "chain", base_env={}).env["S1"]
    second = make_plan(ws, "chain", base_env={}).env["S1"]
    assert first == second and len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "run" / "secrets.env").st_mode)
    assert mode == 0o600
    assert make_plan(ws, "chain", base_env={"S1": "mine"}).env["S1"] == "mine"


def test_a_taken_port_names_its_holder(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        plan = make_plan(ws, "chain", port_overrides={"c": port}, base_env={})
        with pytest.raises(UsageError) as err:
            check_ports(plan)
    message = str(err.value)
    assert f"port {port} is taken by pid {os.getpid()}" in message
    assert "python" in message
    assert "--port" in message
    assert err.value.exit_code == 2


def test_next_gets_a_build_folder_of_its_own_beside_the_developers_run(tmp_path: Path) -> None:
    path = write_workspace(tmp_path, CHAIN, CHAIN_PROCFILE)
    own = make_plan(parse_workspace(path), "chain", base_env={})
    other = make_plan(parse_workspace(path, run_dir=tmp_path / "elsewhere"), "chain", base_env={})
    released = make_plan(
        parse_workspace(path, run_dir=tmp_path / "elsewhere"), "chain", release=True, base_env={}
    )
    assert own.env["NEXT_DIST_DIR"] == ".next"
    assert other.env["NEXT_DIST_DIR"] == ".next-check"
    assert released.env["NEXT_DIST_DIR"] == ".next"  # next start serves what stcomp build made


def test_ports_below_1024_are_warned_about(tmp_path: Path) -> None:
    from stcomp.plan import privileged_ports

    workspace = parse_workspace(write_workspace(tmp_path, CHAIN, CHAIN_PROCFILE))
    plan = make_plan(workspace, "chain", port_overrides={"a": 80}, base_env={})
    (warning,) = privileged_ports(plan)
    assert "port 80 (a) is below 1024" in warning and "--port a=NUMBER" in warning
    assert privileged_ports(make_plan(workspace, "chain", base_env={})) == []

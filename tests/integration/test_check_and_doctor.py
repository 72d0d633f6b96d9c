"""`stcomp check` and `stcomp doctor` as a user's CI runs them, on small real stacks."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

from stcomp.ports import free_port
from tests.conftest import REPO, processes_of, stcomp

TOML = """
[ports]
web = {web_port}

[stacks.site]
open = "web"
[stacks.site.services.web]
port = "web"
probe = "http:/"

[[stacks.site.checks]]
name = "index answers"
service = "web"
path = "/"
status = 200

[[stacks.site.checks]]
name = "missing page is 404"
service = "web"
path = "/nope"
status = {missing_status}
"""
PROCFILE = "web: exec python -m http.server $WEB_PORT --bind 127.0.0.1\n"


def workspace(folder: Path, *, web_port: int = 7301, missing_status: int = 404) -> Path:
    (folder / "stcomp.toml").write_text(
        TOML.format(web_port=web_port, missing_status=missing_status)
    )
    (folder / "Procfile").write_text(PROCFILE)
    return folder


def test_check_passes_with_reports_and_leaves_nothing(tmp_path: Path, run_dir: Path) -> None:
    # the stack's own port is taken (a developer's running stack): check must not care
    taken = free_port()
    ws = workspace(tmp_path, web_port=taken)
    junit = tmp_path / "check.xml"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", taken))
        sock.listen()
        result = stcomp("check", "--json", "--junit", str(junit), cwd=ws, run_dir=run_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    checks = {c["name"]: c for c in report["stacks"][0]["checks"]}
    assert set(checks) == {"ready: web", "index answers", "missing page is 404"}
    assert all(c["ok"] and c["seconds"] >= 0 for c in checks.values())
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "0"
    assert processes_of(run_dir) == []


def test_a_failed_check_exits_1_and_is_reported(tmp_path: Path, run_dir: Path) -> None:
    ws = workspace(tmp_path, missing_status=200)
    junit = tmp_path / "check.xml"
    result = stcomp("check", "site", "--junit", str(junit), cwd=ws, run_dir=run_dir)
    assert result.returncode == 1
    assert "expected 200, got 404" in result.stdout
    assert "FAIL" in result.stdout
    failure = ET.parse(junit).getroot().find(".//testcase[@name='missing page is 404']/failure")
    assert failure is not None and "expected 200, got 404" in (failure.get("message") or "")


def test_check_of_a_stack_that_cannot_start(tmp_path: Path, run_dir: Path) -> None:
    ws = workspace(tmp_path)
    (ws / "Procfile").write_text("web: echo no server here; exit 4\n")
    result = stcomp("check", "site", "--json", cwd=ws, run_dir=run_dir)
    assert result.returncode == 1
    start = json.loads(result.stdout)["stacks"][0]["checks"][0]
    assert start["name"] == "start" and not start["ok"]
    assert "exited with code 4" in start["detail"] and "no server here" in start["detail"]


def test_check_unknown_stack_is_a_usage_error(tmp_path: Path, run_dir: Path) -> None:
    result = stcomp("check", "nope", cwd=workspace(tmp_path), run_dir=run_dir)
    assert result.returncode == 2
    assert "unknown stack 'nope'" in result.stderr


def test_doctor_reports_each_finding_with_its_fix(tmp_path: Path, run_dir: Path) -> None:
    taken = free_port()
    ws = workspace(tmp_path, web_port=taken)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", taken))
        sock.listen()
        result = stcomp("doctor", "--json", cwd=ws, run_dir=run_dir)
    findings = {f["name"]: f for f in json.loads(result.stdout)}
    assert findings["Python"]["ok"]
    port = findings[f"port {taken} (web)"]
    assert not port["ok"] and "taken by pid" in port["detail"] and port["fix"]
    assert result.returncode == 0  # a taken port is a warning, not a missing need


TENANT = """
[[stacks.site.requires]]
name = "Tenant settings"
when = "TENANT_DOMAIN"
env = ["TENANT_CLIENT_ID", "TENANT_CLIENT_SECRET"]
domains = ["TENANT_DOMAIN"]
hint = "set them in .env"
"""


def test_doctor_checks_the_settings_a_stack_declares(tmp_path: Path, run_dir: Path) -> None:
    ws = workspace(tmp_path)
    plain = stcomp("doctor", cwd=ws, run_dir=run_dir, env={"AUTH0_DOMAIN": "x.example.com"})
    assert "Auth0" not in plain.stdout and "Tenant" not in plain.stdout  # nothing declared
    with open(ws / "stcomp.toml", "a") as config:
        config.write(TENANT)
    unset = stcomp("doctor", "--json", cwd=ws, run_dir=run_dir)
    findings = {f["name"]: f for f in json.loads(unset.stdout)}
    assert findings["Tenant settings"]["ok"] and "TENANT_DOMAIN unset" in unset.stdout
    env = {"TENANT_DOMAIN": "example.eu.auth0.com", "TENANT_CLIENT_ID": "abc"}
    result = stcomp("doctor", cwd=ws, run_dir=run_dir, env=env)
    assert result.returncode == 1
    assert (
        "TENANT_CLIENT_SECRET unset" in result.stdout and "fix: set them in .env" in result.stdout
    )
    for domain, problem in [
        ("localhost", "localhost"),
        ("tenant.example.com:8443", "port"),
        ("127.0.0.1", "IP address"),
        ("http://tenant.example.com", "plain http"),
    ]:
        env = {"TENANT_DOMAIN": domain, "TENANT_CLIENT_ID": "a", "TENANT_CLIENT_SECRET": "b"}
        result = stcomp("doctor", cwd=ws, run_dir=run_dir, env=env)
        assert result.returncode == 1, domain
        assert problem in result.stdout, (domain, result.stdout)


def test_version_and_help_are_fast_paths() -> None:
    assert stcomp("--version", cwd=REPO, run_dir=REPO).stdout.startswith("stcomp ")
    help_text = stcomp("--help", cwd=REPO, run_dir=REPO).stdout
    for command in ("up", "down", "status", "logs", "list", "build", "check", "doctor", "scaffold"):
        assert f"  {command}" in help_text


def test_doctor_outside_a_workspace_checks_the_machine(tmp_path: Path, run_dir: Path) -> None:
    result = stcomp("doctor", "--json", cwd=tmp_path, run_dir=run_dir)
    assert result.returncode == 0, result.stderr
    names = {f["name"] for f in json.loads(result.stdout)}
    assert {"Python", "Node.js", "npm", "Chromium", "Playwright", "workspace"} <= names
    assert not any(name.startswith("port") for name in names)


def test_doctor_names_the_stack_holding_its_ports_once(tmp_path: Path, run_dir: Path) -> None:
    port = free_port()
    ws = workspace(tmp_path, web_port=port)
    assert stcomp("up", "site", "-d", cwd=ws, run_dir=run_dir).returncode == 0
    try:
        result = stcomp("doctor", cwd=ws, run_dir=run_dir)
    finally:
        assert stcomp("down", "site", cwd=ws, run_dir=run_dir).returncode == 0
    assert f"ports {port}: held by stack 'site'" in result.stdout
    assert "stcomp down site" in result.stdout
    assert f"port {port} (web)" not in result.stdout
    assert "  " not in result.stdout.replace("\n", " ").split("held by")[1][:60]

"""``python -m server.shared.local_env``: the local stack's wiring for unset variables only."""

from __future__ import annotations

import subprocess

from server_processes import PYTHON, REPO_ROOT, clean_env

from server.shared import reference
from server.shared.local_env import missing_values, shell_exports


def test_the_local_provider_gets_the_reference_wiring() -> None:
    assert missing_values({}) == {
        "AUTH0_CLIENT_ID": reference.CLIENT_ID,
        "AUTH0_AUDIENCE": reference.API_AUDIENCE,
        "IDP_URL": f"http://127.0.0.1:{reference.IDP_PORT}",
        "API_URL": f"http://127.0.0.1:{reference.API_PORT}",
        "COMPONENT_URL": f"http://localhost:{reference.COMPONENT_PORT}",
    }


def test_set_values_win_and_ports_follow_the_environment() -> None:
    values = missing_values(
        {"AUTH0_AUDIENCE": "https://api.example", "API_URL": "http://api.test", "IDP_PORT": "19010"}
    )
    assert "AUTH0_AUDIENCE" not in values
    assert "API_URL" not in values
    assert values["IDP_URL"] == "http://127.0.0.1:19010"


def test_a_real_tenant_gets_no_client_id_or_audience() -> None:
    values = missing_values({"AUTH0_DOMAIN": "tenant.example.com"})
    assert "AUTH0_CLIENT_ID" not in values
    assert "AUTH0_AUDIENCE" not in values


def test_the_printed_lines_survive_a_shell() -> None:
    env = clean_env(COMPONENT_PORT="13001")
    env.pop("COMPONENT_URL", None)
    script = 'eval "$("$0" -m server.shared.local_env)" && printf "%s|%s" "$AUTH0_AUDIENCE" "$COMPONENT_URL"'
    result = subprocess.run(
        ["/bin/sh", "-c", script, str(PYTHON)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{reference.API_AUDIENCE}|http://localhost:13001"
    assert shell_exports({"A": "it's"}) == "export A='it'\"'\"'s'\n"

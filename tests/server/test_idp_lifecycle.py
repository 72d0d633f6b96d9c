"""Provider start-up: the signing key survives restarts; a missing client secret stops it."""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import requests
from idp_service import Idp
from server_processes import PYTHON, REPO_ROOT, clean_env, free_port, port_is_free


def test_signing_key_is_kept_and_reused_across_restarts(
    idp_factory: Callable[..., Idp], tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    first = idp_factory(run_dir=run_dir)
    key_file = run_dir / "idp" / "signing-key.pem"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    jwks_before = requests.get(f"{first.url}/.well-known/jwks.json", timeout=5).json()
    pem_before = key_file.read_bytes()
    first.service.stop()
    assert port_is_free(first.port)

    second = idp_factory(run_dir=run_dir)
    jwks_after = requests.get(f"{second.url}/.well-known/jwks.json", timeout=5).json()
    assert jwks_after == jwks_before
    assert key_file.read_bytes() == pem_before
    assert [p.name for p in key_file.parent.iterdir()] == ["signing-key.pem"], "no temp files"


def test_a_fresh_run_dir_gets_a_different_key(idp_factory: Callable[..., Idp]) -> None:
    assert idp_factory().kid() != idp_factory().kid()


def test_issuer_can_be_overridden(idp_factory: Callable[..., Idp]) -> None:
    provider = idp_factory(IDP_ISSUER="http://localhost:7777")
    doc = requests.get(f"{provider.url}/.well-known/openid-configuration", timeout=5).json()
    assert doc["issuer"] == "http://localhost:7777/"
    assert doc["jwks_uri"] == "http://localhost:7777/.well-known/jwks.json"


def test_missing_client_secret_is_a_one_line_error(tmp_path: Path) -> None:
    port = free_port()
    result = subprocess.run(
        [str(PYTHON), "-m", "server.idp"],
        cwd=REPO_ROOT,
        env=clean_env(IDP_PORT=str(port), STCOMP_DATA_DIR=str(tmp_path / "idp")),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "AUTH0_CLIENT_SECRET" in lines[0]
    assert port_is_free(port)
    assert not (tmp_path / "idp").exists(), "no key is made when the provider refuses to start"


def test_busy_port_is_a_clear_error(idp: Idp, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(PYTHON), "-m", "server.idp"],
        cwd=REPO_ROOT,
        env=clean_env(
            IDP_PORT=str(idp.port),
            STCOMP_DATA_DIR=str(tmp_path / "idp"),
            AUTH0_CLIENT_SECRET="x" * 32,
        ),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{idp.port}" in result.stderr


def test_unusable_key_file_is_a_one_line_error_and_is_left_alone(tmp_path: Path) -> None:
    key_file = tmp_path / "idp" / "signing-key.pem"
    key_file.parent.mkdir()
    key_file.write_text("not a key\n")
    result = subprocess.run(
        [str(PYTHON), "-m", "server.idp"],
        cwd=REPO_ROOT,
        env=clean_env(
            IDP_PORT=str(free_port()),
            STCOMP_DATA_DIR=str(tmp_path / "idp"),
            AUTH0_CLIENT_SECRET="x" * 32,
        ),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(key_file) in lines[0]
    assert key_file.read_text() == "not a key\n"

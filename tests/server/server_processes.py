"""Start the API and the identity provider as real subprocesses, wait for them, stop them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
POLL_INTERVAL = 0.05
READY_TIMEOUT = 20.0

#: Variables a developer's shell might carry that would change what the services do.
SERVICE_VARIABLES = (
    "AUTH0_DOMAIN",
    "AUTH0_AUDIENCE",
    "AUTH0_CLIENT_ID",
    "AUTH0_CLIENT_SECRET",
    "AUTH0_SPA_CLIENT_ID",
    "API_PORT",
    "API_CORS_ORIGINS",
    "API_JWKS_CACHE",
    "API_JWKS_COOLDOWN",
    "API_JWKS_TIMEOUT",
    "API_MAX_TOKEN_LIFETIME",
    "IDP_PORT",
    "IDP_ISSUER",
    "IDP_REDIRECT_URIS",
    "IDP_DEV_PASSWORD",
    "IDP_LOGIN_MAX_FAILURES",
    "IDP_LOGIN_FAILURE_WINDOW",
    "IDP_REFRESH_TOKEN_LIFETIME",
    "STREAMLIT_PORT",
    "COMPONENT_PORT",
    "STCOMP_RUN_DIR",
    "STCOMP_DATA_DIR",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env


@dataclass
class Service:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """SIGTERM the process group, then SIGKILL it if it does not exit within 5 s."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_service(
    name: str, module: str, env: dict[str, str], port: int, probe_path: str, log_dir: Path
) -> Service:
    """Start ``python -m <module>`` in its own session and wait until ``probe_path`` is 200."""
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PYTHON), "-m", module],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    service = Service(name, f"http://127.0.0.1:{port}", process, log_path)
    try:
        wait_ready(service, probe_path)
    except BaseException:
        service.stop()
        raise
    return service


def wait_ready(service: Service, probe_path: str, timeout: float = READY_TIMEOUT) -> float:
    """Poll the probe every 50 ms; return seconds until ready, fail early if the process dies."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(
                f"{service.name} exited with {service.process.returncode}:\n{service.log_text()}"
            )
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(service.url + probe_path, timeout=1).status_code == 200:
                return time.monotonic() - started
        time.sleep(POLL_INTERVAL)
    raise TimeoutError(f"{service.name} not ready after {timeout} s:\n{service.log_text()}")


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0

"""An unreachable provider makes protected routes answer 503 JSON, never 500 or 200, and the API
logs why (the exception class and message), never the token."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from forged_tokens import TokenForge
from idp_service import Idp
from oauth_login import AUDIENCE
from server_processes import clean_env, free_port, start_service


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port that accepts connections and never answers: a fetch there times out."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])


@contextmanager
def nothing_listening() -> Iterator[int]:
    yield free_port()


#: (how the keys are unreachable, the domain template, the cause the log must name)
CAUSES = {
    "connection_refused": ("http://127.0.0.1:{port}", nothing_listening, "ConnectionRefusedError"),
    "timeout": ("http://127.0.0.1:{port}", silent_listener, "timed out"),
    "tls_to_plain_http": ("https://127.0.0.1:{port}", None, "SSL"),
}


@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_unreachable_jwks_is_503_and_the_cause_is_logged(
    tmp_path: Path, idp: Idp, cause: str
) -> None:
    template, make_port, expected = CAUSES[cause]
    with make_port() if make_port else nothing_listening() as port:
        if make_port is None:
            port = idp.port  # the provider speaks plain http: a TLS handshake fails
        domain = template.format(port=port)
        api_port = free_port()
        env = clean_env(API_PORT=str(api_port), AUTH0_DOMAIN=domain, API_JWKS_TIMEOUT="0.5")
        service = start_service("api-no-idp", "server.api", env, api_port, "/healthz", tmp_path)
        try:
            forge = TokenForge(idp.key_path, idp.kid(), f"{domain}/", AUDIENCE)
            token = forge.valid()
            headers = {"Authorization": f"Bearer {token}"}
            for path in ("/api/pong", "/api/pong-scoped"):
                response = requests.get(f"{service.url}{path}", headers=headers, timeout=10)
                assert response.status_code == 503, response.text
                assert response.json()["code"] == "jwks_unavailable"
            assert requests.get(f"{service.url}/api/ping", timeout=5).status_code == 200
        finally:
            service.stop()
    log = service.log_text()
    causes = [line for line in log.splitlines() if "cannot use the signing keys" in line]
    assert len(causes) == 2, log
    assert expected in causes[0], causes[0]
    assert f"{domain}/.well-known/jwks.json" in causes[0]
    assert token.split(".")[2] not in log
    assert token.split(".")[1] not in log

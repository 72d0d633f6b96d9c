"""An unreachable provider makes protected routes answer 503 JSON, never 500 or 200."""

from __future__ import annotations

from pathlib import Path

import requests
from forged_tokens import TokenForge
from idp_service import Idp
from oauth_login import AUDIENCE
from server_processes import clean_env, free_port, start_service


def test_unreachable_jwks_is_503(tmp_path: Path, idp: Idp) -> None:
    dead_port = free_port()  # nothing listens here
    api_port = free_port()
    env = clean_env(API_PORT=str(api_port), AUTH0_DOMAIN=f"http://127.0.0.1:{dead_port}")
    service = start_service("api-no-idp", "server.api", env, api_port, "/healthz", tmp_path)
    try:
        forge = TokenForge(idp.key_path, idp.kid(), f"http://127.0.0.1:{dead_port}/", AUDIENCE)
        headers = {"Authorization": f"Bearer {forge.valid()}"}
        for path in ("/api/pong", "/api/pong-scoped"):
            response = requests.get(f"{service.url}{path}", headers=headers, timeout=10)
            assert response.status_code == 503, response.text
            assert response.json()["code"] == "jwks_unavailable"
        assert requests.get(f"{service.url}/api/ping", timeout=5).status_code == 200
    finally:
        service.stop()

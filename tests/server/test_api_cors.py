"""CORS: the configured browser origins only, echoed back, never ``*``."""

from __future__ import annotations

import pytest
import requests
from idp_service import Idp
from server_processes import Service

PATHS = ["/api/ping", "/api/pong", "/api/pong-scoped"]


def allowed_origins(idp: Idp) -> list[str]:
    return [
        f"http://localhost:{idp.component_port}",
        f"http://127.0.0.1:{idp.component_port}",
        f"http://localhost:{idp.streamlit_port}",
        f"http://127.0.0.1:{idp.streamlit_port}",
    ]


@pytest.mark.parametrize("path", PATHS)
def test_allowed_origins_are_echoed(api: Service, idp: Idp, path: str) -> None:
    for origin in allowed_origins(idp):
        response = requests.get(f"{api.url}{path}", headers={"Origin": origin}, timeout=5)
        assert response.headers.get("Access-Control-Allow-Origin") == origin


@pytest.mark.parametrize("path", PATHS)
def test_preflight_allows_the_authorization_header(api: Service, idp: Idp, path: str) -> None:
    origin = f"http://localhost:{idp.component_port}"
    response = requests.options(
        f"{api.url}{path}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
        timeout=5,
    )
    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") == origin
    assert "authorization" in response.headers.get("Access-Control-Allow-Headers", "").lower()


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost:1", "null"])
@pytest.mark.parametrize("path", PATHS)
def test_other_origins_get_no_cors_header(api: Service, path: str, origin: str) -> None:
    response = requests.get(f"{api.url}{path}", headers={"Origin": origin}, timeout=5)
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = requests.options(
        f"{api.url}{path}",
        headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
        timeout=5,
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_never_a_wildcard(api: Service, idp: Idp) -> None:
    for origin in [*allowed_origins(idp), "http://evil.example", None]:
        headers = {"Origin": origin} if origin else {}
        for path in PATHS:
            response = requests.get(f"{api.url}{path}", headers=headers, timeout=5)
            assert response.headers.get("Access-Control-Allow-Origin") != "*"

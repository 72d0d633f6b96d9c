"""The API's routes with real tokens from the running provider."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from server_processes import Service

from server.shared.reference import READ_MESSAGES


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_healthz_answers_ok(api: Service) -> None:
    response = requests.get(f"{api.url}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.text == "ok"


def test_ping_is_public_and_has_a_fresh_iso_timestamp(api: Service) -> None:
    response = requests.get(f"{api.url}/api/ping", timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["message"]
    stamp = datetime.fromisoformat(body["timestamp"])
    assert stamp.tzinfo is not None
    assert abs(datetime.now(UTC) - stamp) < timedelta(seconds=30)


def test_pong_accepts_alices_token(api: Service, alice_tokens: dict[str, Any]) -> None:
    response = requests.get(
        f"{api.url}/api/pong", headers=bearer(alice_tokens["access_token"]), timeout=5
    )
    assert response.status_code == 200, response.text
    assert response.json()["sub"] == "auth0|alice"
    assert "timestamp" in response.json()


def test_pong_accepts_bobs_token(api: Service, bob_tokens: dict[str, Any]) -> None:
    response = requests.get(
        f"{api.url}/api/pong", headers=bearer(bob_tokens["access_token"]), timeout=5
    )
    assert response.status_code == 200, response.text
    assert response.json()["sub"] == "auth0|bob"


def test_pong_scoped_accepts_alice(api: Service, alice_tokens: dict[str, Any]) -> None:
    response = requests.get(
        f"{api.url}/api/pong-scoped", headers=bearer(alice_tokens["access_token"]), timeout=5
    )
    assert response.status_code == 200, response.text
    assert READ_MESSAGES in response.json()["message"]


def test_pong_scoped_refuses_bob_with_403(api: Service, bob_tokens: dict[str, Any]) -> None:
    response = requests.get(
        f"{api.url}/api/pong-scoped", headers=bearer(bob_tokens["access_token"]), timeout=5
    )
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert "insufficient_scope" in response.headers["WWW-Authenticate"]


def test_unknown_route_is_a_json_404(api: Service) -> None:
    response = requests.get(f"{api.url}/api/nope", timeout=5)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_log_has_one_line_per_request_and_no_token(
    api: Service, alice_tokens: dict[str, Any]
) -> None:
    token = alice_tokens["access_token"]
    requests.get(f"{api.url}/api/pong?marker=1", headers=bearer(token), timeout=5)
    log = api.log_text()
    assert "GET /api/pong 200" in log
    assert token not in log
    assert token.split(".")[2] not in log
    assert "marker=1" not in log

"""The host's own calls to the Flask API, made for the component (delegated requests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

#: The only paths the component may ask the host to call: the host holds the bearer token, so
#: it never fetches an address the component chose.
ALLOWED_PATHS = frozenset({"/api/ping", "/api/pong", "/api/pong-scoped"})
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ApiAnswer:
    path: str
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error_code(self) -> str | None:
        if self.ok or not isinstance(self.body, dict):
            return None
        code = self.body.get("code")
        return code if isinstance(code, str) else None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "body": self.body}


def call_api(api_url: str, path: str, token: str | None) -> ApiAnswer:
    """GET ``path`` on the API, with ``Authorization: Bearer <token>`` when a token is given."""
    if path not in ALLOWED_PATHS:
        allowed = ", ".join(sorted(ALLOWED_PATHS))
        raise ValueError(f"the host only calls {allowed}; the component asked for {path!r}")
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = requests.get(api_url + path, headers=headers, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        body = {"code": "api_unreachable", "description": f"{api_url}: {exc.__class__.__name__}"}
        return ApiAnswer(path, 502, body)
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    return ApiAnswer(path, response.status_code, body)

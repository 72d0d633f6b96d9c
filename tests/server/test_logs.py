"""Both services' logs: control characters escaped (no forged lines), no request secrets, and
one line naming an unexpected exception without the request's secrets."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from idp_service import Idp
from raw_http import raw_request
from server_processes import Service

from server.api.app import create_app as create_api
from server.api.settings import Settings
from server.idp.app import create_app as create_idp
from server.idp.settings import IdpSettings
from server.shared.logsafe import EscapeControlCharacters, escape_controls

#: Characters that would start a new line or rewrite the terminal if written as they are.
LINE_BREAKERS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"]
TERMINAL = ["\x1b[2J", "\x08\x08\x08", "\x00", "\x7f"]


@pytest.mark.parametrize("breaker", LINE_BREAKERS + TERMINAL, ids=repr)
def test_request_paths_cannot_forge_log_lines(idp: Idp, api: Service, breaker: str) -> None:
    for service, log_text in ((idp.service, idp.service.log_text), (api, api.log_text)):
        marker = f"FORGED-{secrets.token_hex(6)}"
        target = "/x" + quote(f"{breaker}{marker} INFO GET /admin 200", safe="/")
        assert raw_request(service.url, "GET", target.encode()).status == 404
        lines = log_text().splitlines()
        hits = [line for line in lines if marker in line]
        assert len(hits) == 1, hits
        assert hits[0].split(" ", 3)[2] in ("server.idp", "server.api"), hits[0]
        assert escape_controls(breaker) in hits[0]
        assert not any(ch in hits[0] for ch in breaker if not ch.isprintable())


@pytest.mark.parametrize(
    "text",
    ["plain", "tab\there", "a\r\nb", "\x00\x1f\x7f", "\x85\u2028\u2029", "é ü 😀", "\\x0a"],
)
def test_escape_controls_leaves_one_printable_line(text: str) -> None:
    escaped = escape_controls(text)
    assert escaped.isprintable()
    assert len(escaped.splitlines()) <= 1
    if text.isprintable():
        assert escaped == text


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(EscapeControlCharacters())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def collected() -> Iterator[Collect]:
    handler = Collect()
    for name in ("server.api", "server.idp"):
        logging.getLogger(name).addHandler(handler)
    try:
        yield handler
    finally:
        for name in ("server.api", "server.idp"):
            logging.getLogger(name).removeHandler(handler)


def apps(tmp_path: Path) -> list[Flask]:
    api = create_api(Settings("http://localhost:1/", "https://a.example", ()))
    idp = create_idp(
        IdpSettings.from_env(
            {"AUTH0_CLIENT_SECRET": "s" * 32, "STCOMP_DATA_DIR": str(tmp_path / "idp")}
        )
    )
    return [api, idp]


def test_unexpected_errors_are_logged_without_request_secrets(
    tmp_path: Path, collected: Collect
) -> None:
    """A view that fails with the request's secrets in its message: the answer is a JSON 500,
    the log line names the exception and where it was raised, and holds none of the secrets."""
    token = "eyJ-" + secrets.token_urlsafe(24)
    cookie = secrets.token_urlsafe(24)
    password = secrets.token_urlsafe(12)
    code = secrets.token_urlsafe(16)
    for app in apps(tmp_path):

        def explode() -> str:
            from flask import request

            raise RuntimeError(
                f"boom {request.headers.get('Authorization')} {request.cookies.get('sid')} "
                f"{request.form.get('password')} {request.args.get('code')}\nFORGED line"
            )

        app.add_url_rule("/explode", "explode", explode, methods=["POST"])
        response = app.test_client().post(
            f"/explode?code={code}",
            headers={"Authorization": f"Bearer {token}", "Cookie": f"sid={cookie}"},
            data={"password": password},
        )
        assert response.status_code == 500
        assert response.is_json
    assert len(collected.lines) == 2
    for line in collected.lines:
        assert "RuntimeError" in line
        assert "test_logs.py" in line and "explode" in line
        assert "[redacted]" in line
        for secret in (token, cookie, password, code):
            assert secret not in line
        assert "\n" not in line

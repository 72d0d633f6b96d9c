"""The Flask API of the auth0 stack: a public ping and two token-protected routes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, jsonify
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from server.api.auth import AuthError, install_verifier, requires_auth, requires_scope
from server.api.settings import Settings
from server.shared.logsafe import log_unexpected
from server.shared.reference import READ_MESSAGES
from server.shared.request_log import install_request_log

logger = logging.getLogger("server.api")


def _message(text: str, **extra: Any) -> Response:
    return jsonify(message=text, timestamp=datetime.now(UTC).isoformat(), **extra)


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AuthError)
    def _auth_error(error: AuthError) -> tuple[Response, int, dict[str, str]]:
        headers: dict[str, str] = {}
        challenge = error.www_authenticate()
        if challenge:
            headers["WWW-Authenticate"] = challenge
        return jsonify(error.as_json()), error.status, headers

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[Response, int]:
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(code=code, description=error.description), error.code or 500

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response, int]:
        log_unexpected(logger, error)
        return jsonify(code="internal_error", description="Internal server error."), 500


def _register_routes(app: Flask) -> None:
    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.get("/api/ping")
    def ping() -> Response:
        return _message("pong: this is a public endpoint, no token needed")

    @app.get("/api/pong")
    @requires_auth
    def pong() -> Response:
        return _message("pong: your access token is valid", sub=g.claims["sub"])

    @app.get("/api/pong-scoped")
    @requires_scope(READ_MESSAGES)
    def pong_scoped() -> Response:
        return _message(
            f"pong: your access token has the scope {READ_MESSAGES}", sub=g.claims["sub"]
        )


def create_app(settings: Settings | None = None) -> Flask:
    """Build the API for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["STCOMP_SETTINGS"] = settings
    install_verifier(app, settings)
    CORS(
        app,
        resources={r"/api/*": {"origins": list(settings.cors_origins)}},
        allow_headers=["Authorization", "Content-Type"],
        methods=["GET", "OPTIONS"],
        supports_credentials=False,
        max_age=600,
    )
    _register_error_handlers(app)
    _register_routes(app)
    install_request_log(app, logger)
    return app

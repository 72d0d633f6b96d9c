"""Application factory of the local Auth0-compatible identity provider."""

from __future__ import annotations

import logging
import secrets
import unicodedata

from authlib.oauth2.base import invalid_error_characters
from flask import Flask, Response, jsonify, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from server.idp.apis import default_apis
from server.idp.authorization import build_authorization_server
from server.idp.clients import clients_from_settings
from server.idp.keys import load_or_create_signing_key
from server.idp.login_session import EXTENSION_KEY as SESSIONS_KEY
from server.idp.login_session import SessionStore
from server.idp.provider import EXTENSION_KEY, Provider
from server.idp.settings import IdpSettings
from server.idp.throttle import LoginThrottle
from server.idp.users import dev_users
from server.idp.views import bp
from server.shared.logsafe import log_unexpected
from server.shared.request_log import install_request_log

logger = logging.getLogger("server.idp")

#: Endpoints a browser app (the public client) calls with fetch.
CORS_PATHS = [r"/oauth/token", r"/userinfo", r"/.well-known/*"]


def create_app(settings: IdpSettings | None = None) -> Flask:
    settings = settings or IdpSettings.from_env()
    signing_key = load_or_create_signing_key(settings.key_path)
    clients = clients_from_settings(settings)
    users = dev_users(settings.audience, settings.dev_password)
    apis = default_apis(settings.audience)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_NAME="stcomp_idp_session",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=settings.issuer.startswith("https://"),
    )
    authorization = build_authorization_server(app, settings, signing_key, clients, users, apis)
    app.extensions[SESSIONS_KEY] = SessionStore()
    app.extensions[EXTENSION_KEY] = Provider(
        settings=settings,
        signing_key=signing_key,
        clients=clients,
        users=users,
        apis=apis,
        authorization=authorization,
        throttle=LoginThrottle(settings.login_max_failures, settings.login_failure_window),
    )
    CORS(
        app,
        resources={path: {"origins": clients.web_origins()} for path in CORS_PATHS},
        allow_headers=["Authorization", "Content-Type", "Auth0-Client"],
        methods=["GET", "POST", "OPTIONS"],
        supports_credentials=False,
    )
    app.register_blueprint(bp)
    _register_error_handlers(app)
    install_request_log(app, logger)
    return app


#: Parameters that Authlib (or this provider) copies into an error description. RFC 6749 allows
#: only %x20-21 / %x23-5B / %x5D-7E there and Authlib raises ValueError (a 500) on anything else,
#: so these values are held to that set up front. None of them has a legitimate use for others.
ECHOED_PARAMETERS = frozenset(
    {
        "audience",
        "client_id",
        "code_challenge_method",
        "grant_type",
        "max_age",
        "prompt",
        "redirect_uri",
        "response_mode",
        "response_type",
        "scope",
    }
)


def malformed_parameter(name: str, value: str) -> bool:
    """A name or value with a control character, or an echoed value outside RFC 6749's set."""
    if any(unicodedata.category(ch) == "Cc" for ch in name + value):
        return True
    return name in ECHOED_PARAMETERS and bool(invalid_error_characters(value))


def _register_error_handlers(app: Flask) -> None:
    """Errors outside Authlib's own answers, in the OAuth error format; never a traceback."""

    @app.before_request
    def _refuse_malformed_parameters() -> tuple[Response, int] | None:
        """Refuse, before Authlib sees them, parameters it cannot put in an error answer; and
        control characters anywhere (RFC 6749 appendix A: parameters are printable)."""
        fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
        bad = sorted({name for name, value in fields if malformed_parameter(name, value)})
        if bad:
            names = ", ".join(n for n in bad if not invalid_error_characters(n)) or "a parameter"
            description = f"Malformed request parameter: {names}."
            return jsonify(error="invalid_request", error_description=description), 400
        return None

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[Response, int]:
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error=code, error_description=error.description), error.code or 500

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response, int]:
        log_unexpected(logger, error)
        return jsonify(error="server_error", error_description="Internal server error."), 500

"""Application factory of the local Auth0-compatible identity provider."""

from __future__ import annotations

import logging
import secrets

from flask import Flask
from flask_cors import CORS

from server.idp.apis import default_apis
from server.idp.authorization import build_authorization_server
from server.idp.clients import clients_from_settings
from server.idp.keys import load_or_create_signing_key
from server.idp.provider import EXTENSION_KEY, Provider
from server.idp.settings import IdpSettings
from server.idp.users import dev_users
from server.idp.views import bp
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
    app.extensions[EXTENSION_KEY] = Provider(
        settings=settings,
        signing_key=signing_key,
        clients=clients,
        users=users,
        apis=apis,
        authorization=authorization,
    )
    CORS(
        app,
        resources={path: {"origins": clients.web_origins()} for path in CORS_PATHS},
        allow_headers=["Authorization", "Content-Type", "Auth0-Client"],
        methods=["GET", "POST", "OPTIONS"],
        supports_credentials=False,
    )
    app.register_blueprint(bp)
    install_request_log(app, logger)
    return app

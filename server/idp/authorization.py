"""Wiring of Authlib's Flask authorization server: clients, grant + PKCE + OIDC, JWT tokens."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from flask import Flask

from server.idp.apis import Api
from server.idp.client_auth import authenticate_client_secret_basic
from server.idp.clients import Client, ClientRegistry
from server.idp.codes import CODE_LIFETIME_SECONDS, CodeStore
from server.idp.grants import AuthorizationCodeGrant, OpenIDCodeExtension, RefreshTokenGrant
from server.idp.keys import SigningKey
from server.idp.pkce import S256CodeChallenge
from server.idp.settings import IdpSettings
from server.idp.token_store import TokenStore
from server.idp.tokens import AccessTokenGenerator
from server.idp.userinfo import AccessTokenValidator, LocalUserInfoEndpoint
from server.idp.users import UserDirectory


class LocalAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """Authlib's server plus the stores its grants read."""

    def __init__(
        self,
        clients: ClientRegistry,
        users: UserDirectory,
        apis: dict[str, Api],
        default_audience: str,
        tokens: TokenStore,
    ) -> None:
        super().__init__()
        self.clients = clients
        self.users = users
        self.apis = apis
        self.default_audience = default_audience
        self.codes = CodeStore()
        self.tokens = tokens

    def query_client(self, client_id: str) -> Client | None:
        return self.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """Access tokens are self-contained JWTs: nothing to store."""


def build_authorization_server(
    app: Flask,
    settings: IdpSettings,
    signing_key: SigningKey,
    clients: ClientRegistry,
    users: UserDirectory,
    apis: dict[str, Api],
) -> LocalAuthorizationServer:
    tokens = TokenStore(
        refresh_lifetime=settings.refresh_token_lifetime,
        retention=max(settings.access_token_lifetime, CODE_LIFETIME_SECONDS),
    )
    server = LocalAuthorizationServer(clients, users, apis, settings.audience, tokens)
    server.init_app(app)
    server.register_client_auth_method("client_secret_basic", authenticate_client_secret_basic)
    key_set = signing_key.key_set()
    server.register_token_generator(
        "default",
        AccessTokenGenerator(
            settings.issuer, key_set, settings.access_token_lifetime, tokens.new_refresh_token
        ),
    )
    server.register_grant(
        AuthorizationCodeGrant,
        [
            S256CodeChallenge(required=True),
            OpenIDCodeExtension(settings.issuer, key_set, settings.id_token_lifetime, server.codes),
        ],
    )
    server.register_grant(RefreshTokenGrant)
    protector = ResourceProtector()
    protector.register_token_validator(
        AccessTokenValidator(settings.issuer, key_set, clients, users, tokens)
    )
    server.register_endpoint(LocalUserInfoEndpoint(settings.issuer, protector))
    return server

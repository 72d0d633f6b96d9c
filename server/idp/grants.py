"""Authlib's authorization code grant with PKCE and OpenID Connect, bound to in-memory storage.

Only storage and Auth0's ``audience`` handling live here; code, PKCE and token logic is Authlib's.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc6749 import AccessDeniedError, OAuth2Request, grants, scope_to_list
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet

from server.idp.apis import rbac_scope
from server.idp.clients import Client
from server.idp.codes import CODE_LIFETIME_SECONDS, AuthorizationCode, CodeStore
from server.idp.subject import Subject
from server.idp.token_store import Family, RefreshToken

logger = logging.getLogger("server.idp")

#: The scope that asks for a refresh token (Auth0, OIDC Core 11).
OFFLINE_ACCESS = "offline_access"

TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

if TYPE_CHECKING:
    from server.idp.authorization import LocalAuthorizationServer


def _jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT this provider has just signed (so: not verified again)."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def record_issued(server: LocalAuthorizationServer, family: Family, token: dict[str, Any]) -> None:
    claims = _jwt_claims(token["access_token"])
    server.tokens.record(
        family, claims.get("jti"), float(claims.get("exp", 0)), token.get("refresh_token")
    )


def wants_refresh_token(client: Client, scope: str | None) -> bool:
    return OFFLINE_ACCESS in (scope_to_list(scope) or []) and client.check_grant_type(
        "refresh_token"
    )


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    """Confidential clients authenticate with their secret; public ones with ``none`` + PKCE.

    A code is taken from the store (atomically) before anything is checked, so it is spent even
    when the client, the redirect URI or the PKCE verifier is then refused; of concurrent
    redemptions exactly one gets it. Presenting a spent code revokes what it gave.
    """

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = TOKEN_ENDPOINT_AUTH_METHODS

    server: LocalAuthorizationServer
    _taken: AuthorizationCode | None = None

    def validate_token_request(self) -> None:
        code = self.request.form.get("code")
        if code:
            self._taken = self.server.codes.take(code)
            if self._taken is not None:
                self.server.tokens.open_family(self._taken)
            else:
                self.server.tokens.code_replayed(code)
        super().validate_token_request()

    def generate_token(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        kwargs["include_refresh_token"] = wants_refresh_token(
            self.request.client, kwargs.get("scope")
        )
        token: dict[str, Any] = super().generate_token(*args, **kwargs)
        return token

    def save_token(self, token: dict[str, Any]) -> None:
        family = self.server.tokens.family_of_code(self.request.authorization_code.code)
        if family is not None:
            record_issued(self.server, family, token)

    def requested_audience(self) -> str:
        audience = self.request.payload.data.get("audience")
        return str(audience) if audience else self.server.default_audience

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        audience = self.requested_audience()
        if audience not in self.server.apis:
            raise AccessDeniedError(
                description=f"Service not found: {audience}", redirect_uri=redirect_uri
            )
        return redirect_uri

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        subject: Subject = request.user
        audience = self.requested_audience()
        data = request.payload.data
        self.server.codes.save(
            AuthorizationCode(
                code=code,
                client_id=request.client.get_client_id(),
                redirect_uri=request.payload.redirect_uri or "",
                scope=rbac_scope(request.scope or "", subject.user.permissions_for(audience)),
                user_id=subject.get_user_id(),
                audience=audience,
                auth_time=subject.auth_time,
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                expires_at=time.time() + CODE_LIFETIME_SECONDS,
            )
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        taken = self._taken
        if taken is None or taken.code != code or taken.client_id != client.get_client_id():
            return None
        return taken

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Nothing left to delete: the code left the store when it was taken."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Subject | None:
        user = self.server.users.by_id(authorization_code.user_id)
        if user is None:
            return None
        return Subject(user, authorization_code.auth_time, authorization_code.audience)


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    """``grant_type=refresh_token`` with rotation: each use returns a new refresh token and
    spends the old one; using a spent one again revokes its whole family."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = TOKEN_ENDPOINT_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    server: LocalAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        return self.server.tokens.use_refresh_token(refresh_token)

    def authenticate_user(self, refresh_token: RefreshToken) -> Subject | None:
        family = refresh_token.family
        user = self.server.users.by_id(family.user_id)
        return Subject(user, family.auth_time, family.audience) if user else None

    def save_token(self, token: dict[str, Any]) -> None:
        record_issued(self.server, self.request.refresh_token.family, token)

    def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
        """Already spent by :meth:`authenticate_refresh_token`."""


class OpenIDCodeExtension(OpenIDCode):  # type: ignore[misc]
    """ID tokens signed with the provider key; Auth0's profile and email claims."""

    def __init__(
        self, issuer: str, key_set: KeySet, lifetime_seconds: int, codes: CodeStore
    ) -> None:
        super().__init__(require_nonce=False)
        self._issuer = issuer
        self._key_set = key_set
        self._lifetime = lifetime_seconds
        self._codes = codes

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return self._codes.nonce_in_use(request.payload.client_id, nonce)

    def resolve_client_private_key(self, client: Client) -> KeySet:
        return self._key_set

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {
            "iss": self._issuer,
            "aud": client.get_client_id(),
            "exp": int(time.time()) + self._lifetime,
        }

    def generate_user_info(self, user: Subject, scope: str) -> UserInfo:
        return user.user.user_info().filter(scope)

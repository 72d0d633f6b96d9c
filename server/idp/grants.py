"""Authlib's authorization code grant with PKCE and OpenID Connect, bound to in-memory storage.

Only storage and Auth0's ``audience`` handling live here; code, PKCE and token logic is Authlib's.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc6749 import AccessDeniedError, OAuth2Request, grants
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet

from server.idp.apis import rbac_scope
from server.idp.clients import Client
from server.idp.codes import CODE_LIFETIME_SECONDS, AuthorizationCode, CodeStore
from server.idp.subject import Subject

if TYPE_CHECKING:
    from server.idp.authorization import LocalAuthorizationServer


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    """Confidential clients authenticate with their secret; public ones with ``none`` + PKCE."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]

    server: LocalAuthorizationServer

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
        return self.server.codes.find(code, client.get_client_id())

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.server.codes.delete(authorization_code.code)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Subject | None:
        user = self.server.users.by_id(authorization_code.user_id)
        if user is None:
            return None
        return Subject(user, authorization_code.auth_time, authorization_code.audience)


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

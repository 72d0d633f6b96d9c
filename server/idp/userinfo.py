"""``/userinfo``: Authlib's UserInfo endpoint, accepting the provider's own JWT access tokens."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2.rfc6750 import InvalidTokenError
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator
from authlib.oauth2.rfc9068.claims import JWTAccessTokenClaims
from authlib.oidc.core import UserInfo, UserInfoEndpoint
from joserfc.jwk import KeySet

from server.idp.clients import Client, ClientRegistry
from server.idp.token_store import TokenStore
from server.idp.users import User, UserDirectory
from server.shared.claims import DATE_CLAIMS, numeric_date

#: Claims Authlib and this endpoint read as strings (a number there made scope_to_list fail).
STRING_CLAIMS = ("scope", "client_id", "sub", "jti", "iss")


class VerifiedAccessToken:
    """Verified claims plus the lookups the UserInfo endpoint needs."""

    def __init__(self, claims: JWTAccessTokenClaims, client: Client, user: User) -> None:
        self.claims = claims
        self._client = client
        self._user = user

    @property
    def scope(self) -> str:
        return str(self.claims.get("scope", ""))

    def get_client(self) -> Client:
        return self._client

    def get_user(self) -> User:
        return self._user


class AccessTokenValidator(JWTBearerTokenValidator):  # type: ignore[misc]
    """RFC 9068 validation with the provider's key; the audience must include ``<iss>userinfo``."""

    def __init__(
        self,
        issuer: str,
        key_set: KeySet,
        clients: ClientRegistry,
        users: UserDirectory,
        tokens: TokenStore,
    ) -> None:
        super().__init__(issuer=issuer, resource_server=f"{issuer}userinfo")
        self._tokens = tokens
        self._key_set = key_set
        self._clients = clients
        self._users = users

    def get_jwks(self) -> KeySet:
        return self._key_set

    def authenticate_token(self, token_string: str) -> VerifiedAccessToken:
        claims = super().authenticate_token(token_string)
        dates_ok = all(numeric_date(claims[name]) for name in DATE_CLAIMS if name in claims)
        strings_ok = all(isinstance(claims.get(name, ""), str) for name in STRING_CLAIMS)
        if not dates_ok or not strings_ok:
            raise InvalidTokenError(realm=self.realm, extra_attributes=self.extra_attributes)
        client = self._clients.get(claims.get("client_id"))
        user = self._users.by_id(str(claims.get("sub", "")))
        revoked = self._tokens.access_revoked(str(claims.get("jti", "")))
        if client is None or user is None or revoked:
            raise InvalidTokenError(realm=self.realm, extra_attributes=self.extra_attributes)
        return VerifiedAccessToken(claims, client, user)

    def validate_token(
        self, token: VerifiedAccessToken, scopes: Any, request: Any, *args: Any, **kwargs: Any
    ) -> None:
        super().validate_token(token.claims, scopes, request, *args, **kwargs)


class LocalUserInfoEndpoint(UserInfoEndpoint):  # type: ignore[misc]
    def __init__(self, issuer: str, resource_protector: ResourceProtector) -> None:
        super().__init__(resource_protector=resource_protector)
        self._issuer = issuer

    def get_issuer(self) -> str:
        return self._issuer

    def generate_user_info(self, user: User, scope: str) -> UserInfo:
        return user.user_info().filter(scope)

"""Auth0-shaped JWT access tokens, produced by Authlib's RFC 9068 generator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from authlib.oauth2.rfc6749 import scope_to_list
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc.jwk import KeySet

from server.idp.clients import Client
from server.idp.subject import Subject


class AccessTokenGenerator(JWTBearerTokenGenerator):  # type: ignore[misc]
    """Adds Auth0's ``aud`` list, ``azp`` and ``permissions`` to the RFC 9068 claims."""

    def __init__(
        self,
        issuer: str,
        key_set: KeySet,
        lifetime_seconds: int,
        new_refresh_token: Callable[[], str],
    ) -> None:
        super().__init__(
            issuer=issuer,
            alg="RS256",
            expires_generator=lifetime_seconds,
            refresh_token_generator=lambda *args, **kwargs: new_refresh_token(),
        )
        self._key_set = key_set

    def get_jwks(self) -> KeySet:
        return self._key_set

    def get_audiences(self, client: Client, user: Subject, scope: str) -> str | list[str]:
        audience = user.audience or self.issuer
        if "openid" in (scope_to_list(scope) or []):
            return [audience, f"{self.issuer}userinfo"]
        return audience

    def get_extra_claims(
        self, client: Client, grant_type: str, user: Subject, scope: str
    ) -> dict[str, Any]:
        return {"azp": client.get_client_id(), "permissions": list(user.permissions())}

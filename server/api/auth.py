"""Access-token checks for the API: Bearer header, RS256 signature from the issuer's JWKS, claims.

Every failure is an :class:`AuthError` that the app turns into a JSON response; a bad token is
always a 401, a missing scope a 403, and an unreachable JWKS a 503.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import jwt
from flask import Flask, current_app, g, request

from server.api.settings import Settings

EXTENSION_KEY = "stcomp_token_verifier"
ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]

F = TypeVar("F", bound=Callable[..., Any])


class AuthError(Exception):
    """A rejected request, reported as ``{"code": ..., "description": ...}``."""

    def __init__(self, code: str, description: str, status: int = 401) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.status = status

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "description": self.description}

    def www_authenticate(self) -> str | None:
        """RFC 6750 challenge for 401/403 answers."""
        if self.status == 401:
            return 'Bearer realm="api", error="invalid_token"'
        if self.status == 403:
            return 'Bearer realm="api", error="insufficient_scope"'
        return None


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header."""
    if not header:
        raise AuthError("authorization_header_missing", "Authorization header is expected.")
    parts = header.split()
    if parts[0].lower() != "bearer":
        raise AuthError("invalid_header", "Authorization header must start with Bearer.")
    if len(parts) == 1:
        raise AuthError("invalid_header", "Token not found.")
    if len(parts) > 2:
        raise AuthError("invalid_header", "Authorization header must be Bearer token.")
    return parts[1]


class TokenVerifier:
    """Verifies RS256 access tokens against the issuer's JWKS (keys cached by the client)."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.issuer
        self.audience = settings.audience
        self._jwks = jwt.PyJWKClient(
            settings.jwks_uri,
            cache_keys=True,
            lifespan=300,
            timeout=settings.jwks_timeout_seconds,
        )

    def _signing_key(self, token: str) -> jwt.PyJWK:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError("invalid_header", "The token is not a well-formed JWT.") from exc
        if header.get("alg") not in ALGORITHMS:
            raise AuthError("invalid_header", "The token must be signed with RS256.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError("invalid_header", "The token header has no key id (kid).")
        try:
            return self._jwks.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as exc:
            raise AuthError(
                "jwks_unavailable", "The identity provider's signing keys are unreachable.", 503
            ) from exc
        except jwt.PyJWKClientError as exc:
            raise AuthError("invalid_header", "No signing key matches the token's kid.") from exc
        except jwt.PyJWKSetError as exc:
            raise AuthError(
                "jwks_unavailable", "The identity provider's key set is unusable.", 503
            ) from exc

    def verify(self, token: str) -> dict[str, Any]:
        """Return the verified claims of ``token`` or raise :class:`AuthError`."""
        key = self._signing_key(token)
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token_expired", "The token has expired.") from exc
        except jwt.ImmatureSignatureError as exc:
            raise AuthError("token_not_yet_valid", "The token is not valid yet.") from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthError("invalid_claims", "The token has the wrong audience.") from exc
        except jwt.InvalidIssuerError as exc:
            raise AuthError("invalid_claims", "The token has the wrong issuer.") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError("invalid_claims", f"The token has no '{exc.claim}' claim.") from exc
        except jwt.PyJWTError as exc:
            raise AuthError("invalid_token", "The token could not be verified.") from exc
        return cast(dict[str, Any], claims)


def install_verifier(app: Flask, settings: Settings) -> None:
    """Create the app's one verifier (and so its one JWKS client)."""
    app.extensions[EXTENSION_KEY] = TokenVerifier(settings)


def token_scopes(claims: dict[str, Any]) -> set[str]:
    scope = claims.get("scope", "")
    return set(scope.split()) if isinstance(scope, str) else set()


def requires_auth(view: F) -> F:
    """Reject the request unless it carries a valid access token; claims go to ``g.claims``."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verifier: TokenVerifier = current_app.extensions[EXTENSION_KEY]
        token = bearer_token(request.headers.get("Authorization"))
        g.claims = verifier.verify(token)
        return view(*args, **kwargs)

    return cast(F, wrapper)


def requires_scope(required: str) -> Callable[[F], F]:
    """Like :func:`requires_auth`, and the token's ``scope`` claim must contain ``required``."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def scoped(*args: Any, **kwargs: Any) -> Any:
            if required not in token_scopes(g.claims):
                raise AuthError("insufficient_scope", f"The token lacks the scope {required}.", 403)
            return view(*args, **kwargs)

        return requires_auth(cast(F, scoped))

    return decorator

"""Access-token checks for the API: Bearer header, RS256 signature from the issuer's JWKS, claims.

Every failure is an :class:`AuthError` that the app turns into a JSON response; a bad token is
always a 401, a missing scope a 403, and an unreachable JWKS a 503 (its cause is logged).

Access tokens are RFC 9068 JWTs: header ``typ: at+jwt``, and a lifetime (``exp - iat``) no longer
than the configured maximum. Keys come from the issuer's JWKS, cached for a configured lifespan:
a key the provider stops publishing stops being trusted once the cached set expires.

Revocation: the API verifies tokens locally and does not see what the provider revokes (a
replayed authorization code, a reused refresh token). Auth0 offers no revocation check for its
JWT access tokens either; short access-token lifetimes (``API_MAX_TOKEN_LIFETIME``) bound the
exposure. The local provider's ``/userinfo`` does refuse revoked access tokens.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

import jwt
from flask import Flask, current_app, g, request

from server.api.settings import Settings
from server.shared.claims import DATE_CLAIMS, numeric_date

logger = logging.getLogger("server.api")

EXTENSION_KEY = "stcomp_token_verifier"
ALGORITHMS = ["RS256"]
#: RFC 9068 section 2.1: ``at+jwt``, or its long form.
ACCESS_TOKEN_TYPES = ("at+jwt", "application/at+jwt")
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
    """The token of an ``Authorization: Bearer <token>`` header.

    Only printable ASCII separated by spaces or tabs is accepted (RFC 9110 token68 syntax); any
    other character (U+00A0, \\x0b, \\x1c, U+0085...) makes the header invalid, never an error.
    """
    if not header:
        raise AuthError("authorization_header_missing", "Authorization header is expected.")
    if not all(ch == "\t" or " " <= ch <= "~" for ch in header):
        raise AuthError("invalid_header", "Authorization header must be printable ASCII.")
    parts = header.split()
    if not parts:
        raise AuthError("authorization_header_missing", "Authorization header is expected.")
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
        self.max_lifetime = settings.max_token_lifetime_seconds
        self.jwks_uri = settings.jwks_uri
        # No per-kid cache (cache_keys): PyJWT's is an LRU without expiry, so a key the provider
        # retired would stay trusted until a restart. The key *set* cache expires after
        # ``lifespan``; an unknown kid forces at most one refetch per ``cooldown_duration``.
        self._jwks = jwt.PyJWKClient(
            settings.jwks_uri,
            cache_keys=False,
            cache_jwk_set=True,
            lifespan=settings.jwks_cache_seconds,
            timeout=settings.jwks_timeout_seconds,
            cooldown_duration=settings.jwks_refetch_cooldown_seconds,
        )

    def _unavailable(self, exc: Exception, description: str) -> AuthError:
        """A 503, with the cause logged so that a user can fix it (TLS, DNS, timeout...)."""
        cause = exc.__cause__ or exc
        reason = getattr(cause, "reason", None)  # URLError wraps the socket or TLS error
        detail = f"{type(cause).__name__}: {cause}"
        if isinstance(reason, BaseException):
            detail = f"{type(cause).__name__} ({type(reason).__name__}: {reason})"
        logger.warning("cannot use the signing keys at %s: %s", self.jwks_uri, detail)
        return AuthError("jwks_unavailable", description, 503)

    def _signing_key(self, token: str) -> jwt.PyJWK:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError("invalid_header", "The token is not a well-formed JWT.") from exc
        if header.get("alg") not in ALGORITHMS:
            raise AuthError("invalid_header", "The token must be signed with RS256.")
        typ = header.get("typ")
        if not isinstance(typ, str) or typ.lower() not in ACCESS_TOKEN_TYPES:
            raise AuthError("invalid_header", "The token is not an access token (typ at+jwt).")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError("invalid_header", "The token header has no key id (kid).")
        try:
            return self._jwks.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as exc:
            raise self._unavailable(
                exc, "The identity provider's signing keys are unreachable."
            ) from exc
        except jwt.PyJWKClientError as exc:
            raise AuthError("invalid_header", "No signing key matches the token's kid.") from exc
        except jwt.PyJWKSetError as exc:
            raise self._unavailable(exc, "The identity provider's key set is unusable.") from exc

    def verify(self, token: str) -> dict[str, Any]:
        """Return the verified claims of ``token`` or raise :class:`AuthError`."""
        key = self._signing_key(token)
        try:
            # PyJWT accepts any int()-able value (a string "123", a bool) for the dates, and
            # Python's json reads NaN and Infinity: hold them to RFC 7519 NumericDate first.
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise AuthError("invalid_token", "The token could not be verified.") from exc
        except (ValueError, OverflowError, RecursionError) as exc:
            raise AuthError("invalid_token", "The token could not be decoded.") from exc
        for name in DATE_CLAIMS:
            if name in unverified and not numeric_date(unverified[name]):
                raise AuthError("invalid_claims", f"The token's '{name}' is not a NumericDate.")
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
        except (ValueError, OverflowError) as exc:
            raise AuthError("invalid_token", "The token could not be verified.") from exc
        lifetime = claims["exp"] - claims["iat"]
        if lifetime > self.max_lifetime:
            raise AuthError(
                "invalid_claims",
                f"The token's lifetime exceeds the accepted maximum of {self.max_lifetime} s.",
            )
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

"""Settings of the Flask API, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from server.shared import reference
from server.shared.env import browser_origins, env_int, env_positive, split_csv


def issuer_from_domain(domain: str) -> str:
    """Auth0's issuer for a domain: ``https://<domain>/``, or an explicit ``http(s)://`` base.

    The issuer always ends with ``/``, as Auth0's does.
    """
    domain = domain.strip()
    if not domain.startswith(("http://", "https://")):
        domain = f"https://{domain}"
    return domain.rstrip("/") + "/"


@dataclass(frozen=True)
class Settings:
    """What the API needs to verify tokens and answer browsers."""

    issuer: str
    audience: str
    cors_origins: tuple[str, ...]
    port: int = reference.API_PORT
    #: Timeout of one fetch of the provider's keys; ``API_JWKS_TIMEOUT``.
    jwks_timeout_seconds: float = 5.0
    #: How long the provider's key set is trusted before it is fetched again; ``API_JWKS_CACHE``.
    jwks_cache_seconds: float = 300.0
    #: Least time between two refetches forced by an unknown kid; ``API_JWKS_COOLDOWN``.
    jwks_refetch_cooldown_seconds: float = 30.0
    #: Longest accepted access-token lifetime, ``exp - iat`` (Auth0's default access-token
    #: lifetime is 86400 s); ``API_MAX_TOKEN_LIFETIME``.
    max_token_lifetime_seconds: int = 86400

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}.well-known/jwks.json"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        domain = env.get("AUTH0_DOMAIN", "").strip()
        if not domain:
            idp_port = env_int(env, "IDP_PORT", reference.IDP_PORT)
            domain = f"http://localhost:{idp_port}"
        origins = split_csv(env.get("API_CORS_ORIGINS", "")) or browser_origins(env)
        if "*" in origins:
            raise ValueError("API_CORS_ORIGINS must list origins; '*' is not allowed")
        return cls(
            issuer=issuer_from_domain(domain),
            audience=env.get("AUTH0_AUDIENCE", "").strip() or reference.API_AUDIENCE,
            cors_origins=origins,
            port=env_int(env, "API_PORT", reference.API_PORT),
            jwks_timeout_seconds=env_positive(env, "API_JWKS_TIMEOUT", 5),
            jwks_cache_seconds=env_positive(env, "API_JWKS_CACHE", 300),
            jwks_refetch_cooldown_seconds=env_positive(env, "API_JWKS_COOLDOWN", 30, zero=True),
            max_token_lifetime_seconds=int(env_positive(env, "API_MAX_TOKEN_LIFETIME", 86400)),
        )

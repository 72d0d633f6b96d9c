"""Settings of the Flask API, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_AUDIENCE = "https://stcomp.local/api"
DEFAULT_API_PORT = 8888
DEFAULT_IDP_PORT = 9010
DEFAULT_STREAMLIT_PORT = 4010
DEFAULT_COMPONENT_PORT = 3001


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    """Read a port-like integer from ``env``; an empty value means the default."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def split_csv(raw: str) -> tuple[str, ...]:
    """Split a comma-separated list, dropping blanks and surrounding spaces."""
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def browser_origins(env: Mapping[str, str]) -> tuple[str, ...]:
    """The browser-facing origins of the Streamlit app and the component dev server."""
    streamlit_port = env_int(env, "STREAMLIT_PORT", DEFAULT_STREAMLIT_PORT)
    component_port = env_int(env, "COMPONENT_PORT", DEFAULT_COMPONENT_PORT)
    return tuple(
        f"http://{host}:{port}"
        for port in (streamlit_port, component_port)
        for host in ("localhost", "127.0.0.1")
    )


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
    port: int = DEFAULT_API_PORT
    jwks_timeout_seconds: float = 5.0

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}.well-known/jwks.json"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        domain = env.get("AUTH0_DOMAIN", "").strip()
        if not domain:
            idp_port = env_int(env, "IDP_PORT", DEFAULT_IDP_PORT)
            domain = f"http://localhost:{idp_port}"
        origins = split_csv(env.get("API_CORS_ORIGINS", "")) or browser_origins(env)
        if "*" in origins:
            raise ValueError("API_CORS_ORIGINS must list origins; '*' is not allowed")
        return cls(
            issuer=issuer_from_domain(domain),
            audience=env.get("AUTH0_AUDIENCE", "").strip() or DEFAULT_AUDIENCE,
            cors_origins=origins,
            port=env_int(env, "API_PORT", DEFAULT_API_PORT),
        )

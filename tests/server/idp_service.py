"""The provider and API as test services: start them on free ports, describe where they are."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from oauth_login import CONFIDENTIAL_CLIENT, AuthorizationRequest
from server_processes import Service, clean_env, free_port, start_service

OIDC_PROBE = "/.well-known/openid-configuration"


@dataclass
class Idp:
    service: Service
    port: int
    run_dir: Path
    client_secret: str
    streamlit_port: int
    component_port: int

    @property
    def url(self) -> str:
        return self.service.url

    @property
    def issuer(self) -> str:
        return f"http://localhost:{self.port}/"  # the provider's default issuer

    @property
    def key_path(self) -> Path:
        return self.run_dir / "idp" / "signing-key.pem"

    @property
    def callback(self) -> str:
        return f"http://localhost:{self.component_port}/auth/callback"

    def request(self, client_id: str = CONFIDENTIAL_CLIENT, **kwargs: Any) -> AuthorizationRequest:
        redirect_uri = kwargs.pop("redirect_uri", self.callback)
        return AuthorizationRequest(self.url, client_id, redirect_uri, **kwargs)

    def kid(self) -> str:
        keys = requests.get(f"{self.url}/.well-known/jwks.json", timeout=5).json()["keys"]
        return str(keys[0]["kid"])


def launch_idp(
    log_dir: Path,
    run_dir: Path,
    client_secret: str | None = None,
    port: int | None = None,
    **extra_env: str,
) -> Idp:
    """``python -m server.idp`` on a free port, with the browser apps on free ports too."""
    client_secret = client_secret or secrets.token_urlsafe(32)
    port = port or free_port()
    streamlit_port, component_port = free_port(), free_port()
    env = clean_env(
        IDP_PORT=str(port),
        STCOMP_DATA_DIR=str(run_dir / "idp"),
        AUTH0_CLIENT_SECRET=client_secret,
        STREAMLIT_PORT=str(streamlit_port),
        COMPONENT_PORT=str(component_port),
        **extra_env,
    )
    service = start_service("idp", "server.idp", env, port, OIDC_PROBE, log_dir)
    return Idp(service, port, run_dir, client_secret, streamlit_port, component_port)


def launch_api(idp: Idp, log_dir: Path, **extra_env: str) -> Service:
    """``python -m server.api`` on a free port, trusting ``idp``; CORS defaults from its ports."""
    port = free_port()
    env = clean_env(
        API_PORT=str(port),
        AUTH0_DOMAIN=idp.issuer.rstrip("/"),
        STREAMLIT_PORT=str(idp.streamlit_port),
        COMPONENT_PORT=str(idp.component_port),
        **extra_env,
    )
    return start_service("api", "server.api", env, port, "/healthz", log_dir)

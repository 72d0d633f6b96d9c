"""Streamlit's own login (``st.login``) for the auth0 stack: its ``[auth]`` secrets, written into
the run directory before Streamlit starts (never into the repository).

Run by the Procfile: ``python -m auth0_app.login_secrets PATH``; Streamlit reads the file
through ``--secrets.files PATH``. The provider is the stack's: the local identity provider
(``IDP_URL``) by default, the Auth0 tenant when ``AUTH0_DOMAIN`` is set. It uses the same
confidential client as the component's Next.js server, and asks for the API's audience, so
that ``st.user.tokens["access"]`` is a token the Flask API accepts.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

PROVIDER = "auth0"  # st.login(PROVIDER)
SCOPE = "openid profile email read:messages"


def issuer_url(environ: Mapping[str, str]) -> str:
    domain = environ.get("AUTH0_DOMAIN", "").strip()
    if domain:
        return domain if domain.startswith(("http://", "https://")) else f"https://{domain}"
    return environ.get("IDP_URL", "http://localhost:9010").rstrip("/")


def secrets_toml(environ: Mapping[str, str]) -> str:
    """The ``[auth]`` table for ``environ`` (what stcomp gives the Streamlit service)."""
    streamlit_url = environ.get("STREAMLIT_URL", "http://localhost:4010").rstrip("/")
    # A cookie key of its own, derived from the stack's generated session secret.
    seed = environ.get("AUTH0_SECRET", "") or os.urandom(32).hex()
    cookie_secret = hashlib.sha256(f"streamlit-auth:{seed}".encode()).hexdigest()
    values = {
        "redirect_uri": f"{streamlit_url}/oauth2callback",
        "cookie_secret": cookie_secret,
        "expose_tokens": ["access"],
    }
    provider = {
        "client_id": environ.get("AUTH0_CLIENT_ID", ""),
        "client_secret": environ.get("AUTH0_CLIENT_SECRET", ""),
        "server_metadata_url": f"{issuer_url(environ)}/.well-known/openid-configuration",
    }
    audience = environ.get("AUTH0_AUDIENCE", "")
    lines = ["[auth]", *(f"{k} = {json.dumps(v)}" for k, v in values.items()), ""]
    lines += [f"[auth.{PROVIDER}]", *(f"{k} = {json.dumps(v)}" for k, v in provider.items())]
    lines += [f'client_kwargs = {{ scope = {json.dumps(SCOPE)}, prompt = "login" }}']
    if audience:  # Auth0 issues a JWT for the API only when the audience is asked for
        lines += [f"authorize_params = {{ audience = {json.dumps(audience)} }}"]
    return "\n".join(lines) + "\n"


def write(path: Path, environ: Mapping[str, str]) -> None:
    """Write the file readable by its owner only, replacing it whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets_toml(environ))
    os.replace(partial, path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m auth0_app.login_secrets PATH")
    write(Path(sys.argv[1]), os.environ)

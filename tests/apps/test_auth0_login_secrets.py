"""The st.login secrets of the auth0 stack: valid TOML with the stack's provider, client and
audience, the local provider or a tenant, written for its owner only."""

from __future__ import annotations

import importlib.util
import stat
import tomllib
from pathlib import Path

from tests.conftest import REPO

# Loaded from its file: the app's folder is on sys.path only inside `streamlit run`.
_spec = importlib.util.spec_from_file_location(
    "auth0_login_secrets", REPO / "apps" / "auth0" / "auth0_app" / "login_secrets.py"
)
assert _spec is not None and _spec.loader is not None
login_secrets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(login_secrets)

LOCAL = {
    "STREAMLIT_URL": "http://localhost:4555",
    "IDP_URL": "http://localhost:9555",
    "AUTH0_CLIENT_ID": "stcomp-local",
    "AUTH0_CLIENT_SECRET": 'a "quoted" secret',
    "AUTH0_SECRET": "s" * 64,
    "AUTH0_AUDIENCE": "https://stcomp.local/api",
}


def test_the_local_provider() -> None:
    auth = tomllib.loads(login_secrets.secrets_toml(LOCAL))["auth"]
    assert auth["redirect_uri"] == "http://localhost:4555/oauth2callback"
    assert auth["expose_tokens"] == ["access"]
    assert len(auth["cookie_secret"]) == 64 and LOCAL["AUTH0_SECRET"] not in auth["cookie_secret"]
    provider = auth[login_secrets.PROVIDER]
    assert provider["client_secret"] == 'a "quoted" secret'
    assert provider["server_metadata_url"] == (
        "http://localhost:9555/.well-known/openid-configuration"
    )
    assert provider["authorize_params"] == {"audience": "https://stcomp.local/api"}
    assert "read:messages" in provider["client_kwargs"]["scope"].split()


def test_a_tenant_when_auth0_domain_is_set() -> None:
    env = {**LOCAL, "AUTH0_DOMAIN": "example.eu.auth0.com"}
    provider = tomllib.loads(login_secrets.secrets_toml(env))["auth"][login_secrets.PROVIDER]
    assert provider["server_metadata_url"] == (
        "https://example.eu.auth0.com/.well-known/openid-configuration"
    )


def test_written_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secrets.toml"
    login_secrets.write(path, LOCAL)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tomllib.loads(path.read_text())["auth"]["redirect_uri"].endswith("/oauth2callback")
    assert [p.name for p in path.parent.iterdir()] == ["secrets.toml"]

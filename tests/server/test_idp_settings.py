"""The provider's settings from the environment: defaults from server.shared.reference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from idp_service import Idp
from oauth_login import get_tokens

from server.idp.settings import IdpSettings, SettingsError
from server.shared import reference

SECRET = {"AUTH0_CLIENT_SECRET": "x" * 32}


def test_defaults_are_the_reference_stacks_wiring() -> None:
    settings = IdpSettings.from_env(SECRET)
    assert settings.issuer == f"http://localhost:{reference.IDP_PORT}/"
    assert settings.port == reference.IDP_PORT
    assert settings.audience == reference.API_AUDIENCE
    assert settings.client_id == reference.CLIENT_ID
    assert settings.public_client_id == reference.SPA_CLIENT_ID
    assert settings.dev_password == reference.DEV_PASSWORD
    assert settings.key_path == Path(reference.RUN_DIR) / "idp" / "signing-key.pem"
    for host in ("localhost", "127.0.0.1"):
        assert f"http://{host}:{reference.COMPONENT_PORT}/auth/callback" in settings.allowed_urls
        assert f"http://{host}:{reference.STREAMLIT_PORT}/oauth2callback" in settings.allowed_urls


def test_the_environment_wins() -> None:
    settings = IdpSettings.from_env(
        {
            **SECRET,
            "AUTH0_AUDIENCE": "https://api.example",
            "AUTH0_CLIENT_ID": "web",
            "AUTH0_SPA_CLIENT_ID": "spa",
            "IDP_DEV_PASSWORD": "other",
            "COMPONENT_PORT": "13001",
        }
    )
    assert (settings.audience, settings.client_id, settings.public_client_id) == (
        "https://api.example",
        "web",
        "spa",
    )
    assert settings.dev_password == "other"
    assert "http://localhost:13001/auth/callback" in settings.allowed_urls


def test_one_id_for_both_clients_is_refused() -> None:
    with pytest.raises(SettingsError, match="AUTH0_SPA_CLIENT_ID"):
        IdpSettings.from_env({**SECRET, "AUTH0_SPA_CLIENT_ID": reference.CLIENT_ID})


def test_the_public_client_id_comes_from_the_environment(
    idp_factory: Callable[..., Idp],
) -> None:
    provider = idp_factory(AUTH0_SPA_CLIENT_ID="my-spa")
    tokens = get_tokens(provider.request("my-spa"), "alice")
    assert tokens["token_type"] == "Bearer"

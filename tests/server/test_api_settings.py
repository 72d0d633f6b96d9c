"""The API's settings from the environment: issuer, audience, CORS origins, port."""

from __future__ import annotations

import subprocess

import pytest
from server_processes import PYTHON, REPO_ROOT, clean_env, free_port

from server.api.settings import Settings, issuer_from_domain
from server.shared import reference


@pytest.mark.parametrize(
    ("domain", "issuer"),
    [
        ("dev-abc.us.auth0.com", "https://dev-abc.us.auth0.com/"),
        ("dev-abc.us.auth0.com/", "https://dev-abc.us.auth0.com/"),
        ("https://dev-abc.us.auth0.com", "https://dev-abc.us.auth0.com/"),
        ("http://127.0.0.1:9010", "http://127.0.0.1:9010/"),
        ("http://127.0.0.1:9010/", "http://127.0.0.1:9010/"),
    ],
)
def test_issuer_always_ends_with_a_slash(domain: str, issuer: str) -> None:
    assert issuer_from_domain(domain) == issuer


def test_defaults_point_at_the_local_provider() -> None:
    settings = Settings.from_env({})
    issuer = f"http://localhost:{reference.IDP_PORT}/"
    assert settings.issuer == issuer
    assert settings.jwks_uri == f"{issuer}.well-known/jwks.json"
    assert settings.audience == reference.API_AUDIENCE
    assert settings.port == reference.API_PORT
    assert set(settings.cors_origins) == {
        f"http://{host}:{port}"
        for host in ("localhost", "127.0.0.1")
        for port in (reference.STREAMLIT_PORT, reference.COMPONENT_PORT)
    }


def test_ports_and_explicit_values_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "IDP_PORT": "19010",
            "API_PORT": "18888",
            "STREAMLIT_PORT": "14010",
            "COMPONENT_PORT": "13001",
            "AUTH0_AUDIENCE": "https://api.example",
        }
    )
    assert settings.issuer == "http://localhost:19010/"
    assert settings.port == 18888
    assert settings.audience == "https://api.example"
    assert "http://localhost:13001" in settings.cors_origins
    assert "http://127.0.0.1:14010" in settings.cors_origins
    explicit = Settings.from_env({"API_CORS_ORIGINS": " http://a.test , http://b.test "})
    assert explicit.cors_origins == ("http://a.test", "http://b.test")


def test_wildcard_cors_origin_is_refused() -> None:
    with pytest.raises(ValueError, match="API_CORS_ORIGINS"):
        Settings.from_env({"API_CORS_ORIGINS": "http://a.test,*"})


def test_api_process_exits_with_a_one_line_error_on_bad_settings() -> None:
    result = subprocess.run(
        [str(PYTHON), "-m", "server.api"],
        cwd=REPO_ROOT,
        env=clean_env(API_PORT=str(free_port()), API_CORS_ORIGINS="*"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "API_CORS_ORIGINS" in lines[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("API_JWKS_CACHE", "0"),
        ("API_JWKS_CACHE", "-1"),
        ("API_JWKS_CACHE", "soon"),
        ("API_JWKS_CACHE", "inf"),
        ("API_JWKS_COOLDOWN", "-1"),
        ("API_MAX_TOKEN_LIFETIME", "0"),
        ("API_MAX_TOKEN_LIFETIME", "nan"),
    ],
)
def test_bad_cache_and_lifetime_settings_are_refused(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value})


def test_cache_and_lifetime_settings_are_read() -> None:
    settings = Settings.from_env(
        {"API_JWKS_CACHE": "2.5", "API_JWKS_COOLDOWN": "0", "API_MAX_TOKEN_LIFETIME": "600"}
    )
    assert settings.jwks_cache_seconds == 2.5
    assert settings.jwks_refetch_cooldown_seconds == 0
    assert settings.max_token_lifetime_seconds == 600
    assert Settings.from_env({}).jwks_cache_seconds == 300

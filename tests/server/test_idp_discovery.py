"""Discovery document and JWKS of the provider."""

from __future__ import annotations

import requests
from authlib.oidc.discovery import OpenIDProviderMetadata
from idp_service import Idp

from server.shared.reference import READ_MESSAGES


def test_discovery_has_auth0_paths_and_a_slash_terminated_issuer(idp: Idp) -> None:
    response = requests.get(f"{idp.url}/.well-known/openid-configuration", timeout=5)
    assert response.status_code == 200
    doc = response.json()
    assert doc["issuer"] == f"http://localhost:{idp.port}/"
    assert doc["issuer"].endswith("/")
    assert doc["authorization_endpoint"] == f"{doc['issuer']}authorize"
    assert doc["token_endpoint"] == f"{doc['issuer']}oauth/token"
    assert doc["userinfo_endpoint"] == f"{doc['issuer']}userinfo"
    assert doc["jwks_uri"] == f"{doc['issuer']}.well-known/jwks.json"
    assert "S256" in doc["code_challenge_methods_supported"]
    assert set(doc["token_endpoint_auth_methods_supported"]) >= {
        "client_secret_basic",
        "client_secret_post",
        "none",
    }
    assert READ_MESSAGES in doc["scopes_supported"]
    OpenIDProviderMetadata(doc).validate()


def test_jwks_publishes_one_public_rs256_key_with_kid(idp: Idp) -> None:
    keys = requests.get(f"{idp.url}/.well-known/jwks.json", timeout=5).json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "private parts must not leak"


def test_discovery_is_readable_from_an_allowed_browser_origin(idp: Idp) -> None:
    origin = f"http://localhost:{idp.component_port}"
    response = requests.get(
        f"{idp.url}/.well-known/openid-configuration", headers={"Origin": origin}, timeout=5
    )
    assert response.headers.get("Access-Control-Allow-Origin") == origin
    other = requests.get(
        f"{idp.url}/.well-known/openid-configuration",
        headers={"Origin": "http://evil.example"},
        timeout=5,
    )
    assert "Access-Control-Allow-Origin" not in other.headers

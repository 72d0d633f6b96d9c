"""PKCE is S256 only, as at Auth0: plain, a missing method and unknown methods are refused."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from idp_service import Idp
from oauth_login import CONFIDENTIAL_CLIENT, PUBLIC_CLIENT, log_in, open_authorize, redeem


def assert_invalid_request(response: requests.Response, redirect_uri: str) -> None:
    """Refused: a JSON 400, or (the redirect URI being valid) a redirect there with the error."""
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith(redirect_uri + "?"), location
        query = parse_qs(urlsplit(location).query)
        assert query["error"] == ["invalid_request"], query
        assert "code" not in query
    else:
        assert response.status_code == 400, (response.status_code, response.text[:300])
        assert response.json()["error"] == "invalid_request"


#: code_challenge_method values that must not get a code (None: the parameter is left out).
REFUSED_METHODS: list[str | None] = [
    None,
    "plain",
    "PLAIN",
    "s256",
    "S256 ",
    "S384",
    "S512",
    "SHA256",
    "",
    "none",
]


@pytest.mark.parametrize("client_id", [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT])
@pytest.mark.parametrize("method", REFUSED_METHODS, ids=repr)
def test_only_s256_gets_a_login_page(idp: Idp, client_id: str, method: str | None) -> None:
    req = idp.request(client_id)
    params: dict[str, Any] = req.params()
    if method is None:
        del params["code_challenge_method"]
    else:
        params["code_challenge_method"] = method
    response = requests.get(f"{idp.url}/authorize", params=params, allow_redirects=False)
    assert_invalid_request(response, req.redirect_uri)


def test_plain_pkce_where_verifier_equals_challenge_gets_no_code(idp: Idp) -> None:
    req = idp.request(PUBLIC_CLIENT)
    req.challenge = req.verifier  # what a "plain" client sends
    response = requests.get(
        f"{idp.url}/authorize",
        params=req.params() | {"code_challenge_method": "plain"},
        allow_redirects=False,
    )
    assert_invalid_request(response, req.redirect_uri)


def test_public_client_without_a_challenge_is_refused(idp: Idp) -> None:
    req = idp.request(PUBLIC_CLIENT)
    req.challenge = ""
    with requests.Session() as session:
        response = open_authorize(session, req)
    assert_invalid_request(response, req.redirect_uri)


def test_s256_still_works_for_both_clients(idp: Idp) -> None:
    for client_id, secret in ((CONFIDENTIAL_CLIENT, idp.client_secret), (PUBLIC_CLIENT, None)):
        req = idp.request(client_id)
        with requests.Session() as session:
            code = log_in(session, req, "alice")
        assert redeem(req, code, secret).status_code == 200


def test_discovery_advertises_s256_only(idp: Idp) -> None:
    doc = requests.get(f"{idp.url}/.well-known/openid-configuration", timeout=5).json()
    assert doc["code_challenge_methods_supported"] == ["S256"]

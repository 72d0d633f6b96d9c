"""Authorization code + PKCE against the running provider, for both clients."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from idp_service import Idp
from oauth_login import (
    AUDIENCE,
    CONFIDENTIAL_CLIENT,
    PUBLIC_CLIENT,
    code_from_redirect,
    get_tokens,
    log_in,
    open_authorize,
    redeem,
    submit_login,
)

from server.shared.reference import DEV_PASSWORD, READ_MESSAGES


def verify(idp: Idp, token: str, audience: str) -> dict[str, Any]:
    jwks = jwt.PyJWKClient(f"{idp.url}/.well-known/jwks.json")
    key = jwks.get_signing_key_from_jwt(token)
    claims: dict[str, Any] = jwt.decode(
        token, key.key, algorithms=["RS256"], audience=audience, issuer=idp.issuer
    )
    return claims


@pytest.mark.parametrize("secret_in_body", [False, True], ids=["basic", "post"])
def test_confidential_client_gets_auth0_shaped_tokens(idp: Idp, secret_in_body: bool) -> None:
    req = idp.request()
    with requests.Session() as session:
        code = log_in(session, req, "alice")
    response = redeem(req, code, idp.client_secret, secret_in_body=secret_in_body)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] > 0

    header = jwt.get_unverified_header(tokens["access_token"])
    assert header["alg"] == "RS256"
    assert header["kid"] == idp.kid()
    access = verify(idp, tokens["access_token"], AUDIENCE)
    assert access["iss"] == idp.issuer
    assert access["sub"] == "auth0|alice"
    assert access["aud"] == [AUDIENCE, f"{idp.issuer}userinfo"]
    assert access["azp"] == CONFIDENTIAL_CLIENT
    assert set(access["scope"].split()) == {"openid", "profile", "email", READ_MESSAGES}
    assert access["permissions"] == [READ_MESSAGES]
    assert access["exp"] > access["iat"]

    identity = verify(idp, tokens["id_token"], CONFIDENTIAL_CLIENT)
    assert identity["nonce"] == req.nonce
    assert identity["name"] == "Alice Example"
    assert identity["email"] == "alice@example.com"
    assert identity["nickname"] == "alice"


def test_public_client_with_pkce_gets_tokens(idp: Idp) -> None:
    req = idp.request(PUBLIC_CLIENT)
    tokens = get_tokens(req, "alice")
    access = verify(idp, tokens["access_token"], AUDIENCE)
    assert access["azp"] == PUBLIC_CLIENT
    assert verify(idp, tokens["id_token"], PUBLIC_CLIENT)["nonce"] == req.nonce


def test_rbac_drops_scopes_bob_does_not_hold(bob_tokens: dict[str, Any], idp: Idp) -> None:
    access = verify(idp, bob_tokens["access_token"], AUDIENCE)
    assert access["sub"] == "auth0|bob"
    assert READ_MESSAGES not in access["scope"].split()
    assert access["permissions"] == []


def test_without_openid_the_audience_is_the_api_alone_and_no_id_token(idp: Idp) -> None:
    tokens = get_tokens(idp.request(scope=READ_MESSAGES), "alice", idp.client_secret)
    assert "id_token" not in tokens
    access = verify(idp, tokens["access_token"], AUDIENCE)
    assert access["aud"] == AUDIENCE
    assert access["scope"] == READ_MESSAGES


def test_password_form_logs_in_and_a_wrong_password_is_refused(idp: Idp) -> None:
    req = idp.request()
    with requests.Session() as session:
        page = open_authorize(session, req)
        refused = submit_login(session, page, "alice", "wrong-password")
        assert refused.status_code == 401
        assert "Location" not in refused.headers
        accepted = submit_login(session, refused, "bob", DEV_PASSWORD)
        code = code_from_redirect(accepted, req)
    assert redeem(req, code, idp.client_secret).status_code == 200


def test_login_without_csrf_token_is_refused(idp: Idp) -> None:
    req = idp.request()
    with requests.Session() as session:
        page = open_authorize(session, req)
        response = session.post(page.url, data={"user": "alice"}, allow_redirects=False)
    assert response.status_code == 400
    assert "Location" not in response.headers


@pytest.mark.parametrize("client", ["confidential", "public"])
def test_wrong_code_verifier_is_rejected(idp: Idp, client: str) -> None:
    req = idp.request(PUBLIC_CLIENT) if client == "public" else idp.request()
    secret = idp.client_secret if client == "confidential" else None
    with requests.Session() as session:
        code = log_in(session, req, "alice")
    wrong = "x" * 64
    response = redeem(req, code, secret, verifier=wrong)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()


def test_public_client_must_send_a_code_verifier(idp: Idp) -> None:
    req = idp.request(PUBLIC_CLIENT)
    with requests.Session() as session:
        code = log_in(session, req, "alice")
    response = redeem(req, code, None, verifier="")
    assert response.status_code == 400
    assert "access_token" not in response.json()


def test_a_code_is_single_use(idp: Idp) -> None:
    req = idp.request()
    with requests.Session() as session:
        code = log_in(session, req, "alice")
    assert redeem(req, code, idp.client_secret).status_code == 200
    again = redeem(req, code, idp.client_secret)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_rejected(idp: Idp) -> None:
    req = idp.request()
    with requests.Session() as session:
        code = log_in(session, req, "alice")
    response = redeem(req, code, "not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_confidential_client_cannot_pose_as_public(idp: Idp) -> None:
    req = idp.request()
    with requests.Session() as session:
        code = log_in(session, req, "alice")
    response = redeem(req, code, None)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"


def test_unregistered_redirect_uri_gets_no_redirect(idp: Idp) -> None:
    req = idp.request(redirect_uri="http://evil.example/callback")
    with requests.Session() as session:
        response = open_authorize(session, req)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.json()["error"] == "invalid_request"
    assert "csrf_token" not in response.text


def test_unknown_audience_is_access_denied(idp: Idp) -> None:
    req = idp.request(audience="https://unknown.example/api")
    with requests.Session() as session:
        response = open_authorize(session, req)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == [req.state]


def test_prompt_none_without_a_session_is_login_required(idp: Idp) -> None:
    req = idp.request(extra={"prompt": "none"})
    with requests.Session() as session:
        response = open_authorize(session, req)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["login_required"]


def test_provider_session_skips_the_login_page_next_time(idp: Idp) -> None:
    with requests.Session() as session:
        log_in(session, idp.request(), "alice")
        second = idp.request(PUBLIC_CLIENT)
        response = open_authorize(session, second)
        code = code_from_redirect(response, second)
        login_again = open_authorize(session, idp.request(extra={"prompt": "login"}))
    assert redeem(second, code).status_code == 200
    assert login_again.status_code == 200
    assert "csrf_token" in login_again.text


def test_login_page_names_the_dev_users_and_says_they_are_fake(idp: Idp) -> None:
    with requests.Session() as session:
        page = open_authorize(session, idp.request())
    assert "Alice Example" in page.text
    assert "Bob Example" in page.text
    assert "fake development accounts" in page.text
    assert page.headers["X-Frame-Options"] == "DENY"


def test_token_endpoint_answers_the_public_clients_browser_origin(idp: Idp) -> None:
    origin = f"http://localhost:{idp.component_port}"
    response = requests.options(
        f"{idp.url}/oauth/token",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        timeout=5,
    )
    assert response.headers.get("Access-Control-Allow-Origin") == origin


def test_provider_log_never_holds_secrets_or_tokens(idp: Idp, alice_tokens: dict[str, Any]) -> None:
    log = idp.service.log_text()
    assert "POST /oauth/token 200" in log
    assert idp.client_secret not in log
    assert alice_tokens["access_token"].split(".")[2] not in log


def test_web_message_mode_posts_the_response_to_the_redirect_origin_only(idp: Idp) -> None:
    req = idp.request(PUBLIC_CLIENT, extra={"response_mode": "web_message"})
    with requests.Session() as session:
        page = open_authorize(session, req)
        response = submit_login(session, page, "alice")
    assert response.status_code == 200
    assert "Location" not in response.headers
    match = re.search(r"response: (\{[^}]*\}) \};", response.text)
    assert match, response.text
    params = json.loads(match.group(1))
    assert params["state"] == req.state
    assert f'postMessage(message, "http://localhost:{idp.component_port}")' in response.text
    assert redeem(req, params["code"]).status_code == 200

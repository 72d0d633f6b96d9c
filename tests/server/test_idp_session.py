"""The provider's login session: logout ends it server-side (a copied cookie is dead), and
``max_age`` makes an older sign-in sign in again; ID tokens carry ``auth_time``."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from idp_service import Idp
from oauth_login import (
    CONFIDENTIAL_CLIENT,
    PUBLIC_CLIENT,
    code_from_redirect,
    log_in,
    open_authorize,
    redeem,
    submit_login,
)

COOKIE = "stcomp_idp_session"


def copied_session(cookie: str) -> requests.Session:
    session = requests.Session()
    session.cookies.set(COOKIE, cookie, domain="127.0.0.1", path="/")
    return session


def signs_in_silently(idp: Idp, session: requests.Session, client_id: str) -> bool:
    """True if /authorize with prompt=none answers with a code (the session is alive)."""
    req = idp.request(client_id, extra={"prompt": "none"})
    response = open_authorize(session, req)
    assert response.status_code == 302, response.text[:300]
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    if "code" in query:
        return True
    assert query["error"] == ["login_required"], query
    return False


LOGOUTS: dict[str, Any] = {
    "plain": lambda idp: {},
    "return_to_component": lambda idp: {
        "returnTo": f"http://localhost:{idp.component_port}",
        "client_id": CONFIDENTIAL_CLIENT,
    },
    "return_to_streamlit_public_client": lambda idp: {
        "returnTo": f"http://127.0.0.1:{idp.streamlit_port}/",
        "client_id": PUBLIC_CLIENT,
    },
    "refused_return_to": lambda idp: {"returnTo": "http://evil.example"},
}


@pytest.mark.parametrize("client_id", [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT])
@pytest.mark.parametrize("logout", sorted(LOGOUTS))
@pytest.mark.parametrize("endpoint", ["/v2/logout", "/oidc/logout"])
def test_a_cookie_copied_before_logout_no_longer_signs_in(
    idp: Idp, logout: str, client_id: str, endpoint: str
) -> None:
    with requests.Session() as session:
        log_in(session, idp.request(client_id), "alice")
        copy = session.cookies.get(COOKIE)
        assert copy
        with copied_session(copy) as thief:
            assert signs_in_silently(idp, thief, client_id), "control: the copy works before"
        params = LOGOUTS[logout](idp)
        if endpoint == "/oidc/logout" and "returnTo" in params:  # the OIDC spelling
            params = {**params, "post_logout_redirect_uri": params.pop("returnTo")}
        session.get(f"{idp.url}{endpoint}", params=params, allow_redirects=False)
        assert not signs_in_silently(idp, session, client_id)
    with copied_session(copy) as thief:
        assert not signs_in_silently(idp, thief, client_id)
        page = open_authorize(thief, idp.request(client_id))
        assert page.status_code == 200 and "csrf_token" in page.text


def test_signing_in_again_ends_the_previous_session(idp: Idp) -> None:
    with requests.Session() as session:
        log_in(session, idp.request(), "alice")
        old = session.cookies.get(COOKIE)
        log_in(session, idp.request(extra={"prompt": "login"}), "bob")
    with copied_session(old) as thief:
        assert not signs_in_silently(idp, thief, CONFIDENTIAL_CLIENT)


def id_token_claims(idp: Idp, req: Any, code: str) -> dict[str, Any]:
    tokens = redeem(req, code, idp.client_secret).json()
    claims: dict[str, Any] = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    return claims


@pytest.mark.parametrize("max_age", [None, "0", "5", "3600", "99999999"])
def test_id_tokens_carry_auth_time(idp: Idp, max_age: str | None) -> None:
    extra = {"max_age": max_age} if max_age is not None else {}
    req = idp.request(extra=extra)
    before = int(time.time())
    with requests.Session() as session:
        code = log_in(session, req, "alice")
    auth_time = id_token_claims(idp, req, code)["auth_time"]
    assert before - 1 <= auth_time <= time.time()


@pytest.mark.parametrize("max_age", ["3600", "60", "99999999"])
def test_a_recent_sign_in_within_max_age_is_reused(idp: Idp, max_age: str) -> None:
    with requests.Session() as session:
        log_in(session, idp.request(), "alice")
        req = idp.request(extra={"max_age": max_age})
        code = code_from_redirect(open_authorize(session, req), req)
    assert id_token_claims(idp, req, code)["auth_time"] <= time.time()


@pytest.mark.parametrize("client_id", [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT])
def test_max_age_zero_always_signs_in_again(idp: Idp, client_id: str) -> None:
    with requests.Session() as session:
        log_in(session, idp.request(client_id), "alice")
        req = idp.request(client_id, extra={"max_age": "0"})
        page = open_authorize(session, req)
        assert page.status_code == 200 and "csrf_token" in page.text
        silent = open_authorize(
            session, idp.request(client_id, extra={"max_age": "0", "prompt": "none"})
        )
        assert parse_qs(urlsplit(silent.headers["Location"]).query)["error"] == ["login_required"]
        code = code_from_redirect(submit_login(session, page, "alice"), req)
    secret = idp.client_secret if client_id == CONFIDENTIAL_CLIENT else None
    assert redeem(req, code, secret).status_code == 200


def test_a_sign_in_older_than_max_age_must_sign_in_again(idp: Idp) -> None:
    with requests.Session() as session:
        log_in(session, idp.request(), "alice")
        signed_in = time.monotonic()
        # Poll until the sign-in is older than one second: codes until then, the login page
        # after. (A fresh request each time: a nonce already used is refused.)
        while True:
            req = idp.request(extra={"max_age": "1"})
            response = open_authorize(session, req)
            if response.status_code != 302:
                break
            code_from_redirect(response, req)
            assert time.monotonic() - signed_in < 3, "max_age=1 ignored"
            time.sleep(0.1)
    # auth_time is in whole seconds (truncated), so the sign-in may count as older than 1 s
    # up to a second early.
    assert response.status_code == 200 and "csrf_token" in response.text


@pytest.mark.parametrize("max_age", ["-1", "1.5", "abc", "1e3", " 5", "٣"])
def test_malformed_max_age_is_invalid_request(idp: Idp, max_age: str) -> None:
    with requests.Session() as session:
        response = open_authorize(session, idp.request(extra={"max_age": max_age}))
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"] == "invalid_request"

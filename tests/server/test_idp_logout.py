"""``/v2/logout``: ends the provider session; redirects only to an allowed URL of the client."""

from __future__ import annotations

import pytest
import requests
from idp_service import Idp
from oauth_login import CONFIDENTIAL_CLIENT, PUBLIC_CLIENT, log_in, open_authorize


def logout(session: requests.Session, idp: Idp, **params: str) -> requests.Response:
    return session.get(f"{idp.url}/v2/logout", params=params, allow_redirects=False)


@pytest.mark.parametrize("client_id", [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT])
def test_allowed_return_to_redirects_and_ends_the_session(idp: Idp, client_id: str) -> None:
    return_to = f"http://localhost:{idp.component_port}"
    with requests.Session() as session:
        log_in(session, idp.request(), "alice")
        response = logout(session, idp, returnTo=return_to, client_id=client_id)
        assert response.status_code == 302
        assert response.headers["Location"] == return_to
        after = open_authorize(session, idp.request())
    assert after.status_code == 200, "the login page must show again after logout"
    assert "csrf_token" in after.text


@pytest.mark.parametrize(
    "return_to",
    [
        "http://evil.example",
        "http://localhost:1",
        "javascript:alert(1)",
        "//evil.example",
    ],
)
def test_other_return_to_is_refused(idp: Idp, return_to: str) -> None:
    with requests.Session() as session:
        response = logout(session, idp, returnTo=return_to, client_id=CONFIDENTIAL_CLIENT)
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_unknown_client_gets_no_redirect(idp: Idp) -> None:
    return_to = f"http://localhost:{idp.component_port}"
    with requests.Session() as session:
        response = logout(session, idp, returnTo=return_to, client_id="nobody")
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_streamlit_origin_and_trailing_slash_are_allowed(idp: Idp) -> None:
    return_to = f"http://127.0.0.1:{idp.streamlit_port}/"
    with requests.Session() as session:
        response = logout(session, idp, returnTo=return_to, client_id=CONFIDENTIAL_CLIENT)
    assert response.status_code == 302
    assert response.headers["Location"] == return_to


def test_logout_without_return_to_shows_a_page(idp: Idp) -> None:
    with requests.Session() as session:
        log_in(session, idp.request(), "bob")
        response = logout(session, idp)
        assert response.status_code == 200
        assert "signed out" in response.text
        assert open_authorize(session, idp.request()).status_code == 200

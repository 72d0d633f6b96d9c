"""Get real tokens from the running provider the way a client does: code flow with PKCE."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from server.shared.reference import API_AUDIENCE, CLIENT_ID, READ_MESSAGES, SPA_CLIENT_ID

CONFIDENTIAL_CLIENT = CLIENT_ID
PUBLIC_CLIENT = SPA_CLIENT_ID
AUDIENCE = API_AUDIENCE
SCOPE = f"openid profile email {READ_MESSAGES}"

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


@dataclass
class AuthorizationRequest:
    """One login attempt's parameters, always with a fresh PKCE S256 pair."""

    idp_url: str
    client_id: str
    redirect_uri: str
    scope: str = SCOPE
    audience: str | None = AUDIENCE
    state: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    verifier: str = ""
    challenge: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.verifier:
            self.verifier, self.challenge = pkce_pair()

    def params(self) -> dict[str, str]:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce,
        }
        if self.challenge:
            params |= {"code_challenge": self.challenge, "code_challenge_method": "S256"}
        if self.audience:
            params["audience"] = self.audience
        return params | self.extra


def csrf_token(login_page: str) -> str:
    match = CSRF_FIELD.search(login_page)
    if match is None:
        raise AssertionError(f"no CSRF field on the login page:\n{login_page[:500]}")
    return html.unescape(match.group(1))


def open_authorize(session: requests.Session, req: AuthorizationRequest) -> requests.Response:
    return session.get(f"{req.idp_url}/authorize", params=req.params(), allow_redirects=False)


def submit_login(
    session: requests.Session,
    page: requests.Response,
    username: str,
    password: str | None = None,
) -> requests.Response:
    """Post the login form: the user's button, or the username/password form."""
    form = {"csrf_token": csrf_token(page.text)}
    if password is None:
        form["user"] = username
    else:
        form |= {"username": username, "password": password}
    return session.post(page.url, data=form, allow_redirects=False)


def code_from_redirect(response: requests.Response, req: AuthorizationRequest) -> str:
    """Read ``code`` from the Location header (nothing listens at the redirect URI)."""
    assert response.status_code == 302, (response.status_code, response.text[:500])
    location = response.headers["Location"]
    assert location.startswith(req.redirect_uri + "?"), location
    query = parse_qs(urlsplit(location).query)
    assert query.get("state") == [req.state], query
    assert "error" not in query, query
    return query["code"][0]


def log_in(
    session: requests.Session,
    req: AuthorizationRequest,
    username: str,
    password: str | None = None,
) -> str:
    """GET /authorize, post the login form, return the authorization code."""
    page = open_authorize(session, req)
    assert page.status_code == 200, (page.status_code, page.text[:500])
    assert "text/html" in page.headers["Content-Type"]
    return code_from_redirect(submit_login(session, page, username, password), req)


def redeem(
    req: AuthorizationRequest,
    code: str,
    client_secret: str | None = None,
    secret_in_body: bool = False,
    verifier: str | None = None,
) -> requests.Response:
    """POST /oauth/token; a confidential client authenticates with Basic or in the body."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": req.redirect_uri,
        "code_verifier": req.verifier if verifier is None else verifier,
    }
    if not form["code_verifier"]:
        del form["code_verifier"]
    auth: tuple[str, str] | None = None
    if client_secret is None or secret_in_body:
        form["client_id"] = req.client_id
    if client_secret is not None:
        if secret_in_body:
            form["client_secret"] = client_secret
        else:
            auth = (req.client_id, client_secret)
    return requests.post(f"{req.idp_url}/oauth/token", data=form, auth=auth, timeout=10)


def get_tokens(
    req: AuthorizationRequest, username: str, client_secret: str | None = None
) -> dict[str, Any]:
    """The whole flow for one user; returns the token response JSON."""
    with requests.Session() as session:
        code = log_in(session, req, username)
    response = redeem(req, code, client_secret)
    assert response.status_code == 200, (response.status_code, response.text)
    tokens: dict[str, Any] = response.json()
    return tokens

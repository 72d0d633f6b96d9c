"""An access token for a development user, the way a browser login gets one.

``stcomp check`` uses it for checks that declare ``login = "USER"``: the OAuth 2.0 authorization
code flow with PKCE, as a public client, through the identity provider's own HTML login form.
Everything about the provider comes from the stack's ``[login]`` table and OIDC discovery.
Written with the standard library (urllib, html.parser) so the CLI needs no HTTP client; the
form filling is the part no OAuth client library does.
"""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

TIMEOUT = 10.0


class LoginFailed(Exception):
    pass


@dataclass(frozen=True)
class LoginRequest:
    issuer_url: str
    client_id: str
    redirect_uri: str
    audience: str | None
    scope: str
    fields: Mapping[str, str]


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class _Form(HTMLParser):
    """The first form of a page: its action and the values of its inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.values: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form" and self.action is None:
            self.action, self._inside = found.get("action", ""), True
        elif tag == "input" and self._inside and found.get("name"):
            self.values[found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def access_token(request: LoginRequest, user: str) -> str:
    """Sign ``user`` in on the provider's login page and return the access token."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    meta = _json(browser, f"{request.issuer_url.rstrip('/')}/.well-known/openid-configuration")
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(12)
    params = {
        "response_type": "code",
        "client_id": request.client_id,
        "redirect_uri": request.redirect_uri,
        "scope": request.scope,
        "state": state,
        "nonce": secrets.token_urlsafe(12),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if request.audience:
        params["audience"] = request.audience
    page_url = f"{meta['authorization_endpoint']}?{urllib.parse.urlencode(params)}"
    status, page, _ = _call(browser, page_url)
    form = _Form()
    form.feed(page)
    if status != 200 or form.action is None:
        raise LoginFailed(f"the login page answered {status} without a form")
    values = {**form.values, **{k: v.format(user=user) for k, v in request.fields.items()}}
    status, _, location = _call(
        browser, urllib.parse.urljoin(page_url, form.action), urllib.parse.urlencode(values)
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location or "").query)
    if status not in (302, 303) or query.get("state") != [state] or "code" not in query:
        raise LoginFailed(f"signing in as {user} gave {status} {query.get('error')}")
    body = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": request.redirect_uri,
            "code_verifier": verifier,
            "client_id": request.client_id,
        }
    )
    status, text, _ = _call(browser, meta["token_endpoint"], body)
    if status != 200:
        raise LoginFailed(f"the token endpoint answered {status}")
    token: str = json.loads(text)["access_token"]
    return token


def _json(opener: urllib.request.OpenerDirector, url: str) -> dict[str, Any]:
    status, text, _ = _call(opener, url)
    if status != 200:
        raise LoginFailed(f"{url} answered {status}")
    data: dict[str, Any] = json.loads(text)
    return data


def _call(
    opener: urllib.request.OpenerDirector, url: str, form: str | None = None
) -> tuple[int, str, str | None]:
    """(status, body, Location) of a GET, or of a form POST when ``form`` is given."""
    data = form.encode() if form is not None else None
    try:
        with opener.open(url, data=data, timeout=TIMEOUT) as answer:
            return answer.status, answer.read().decode(errors="replace"), None
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode(errors="replace"), answer.headers.get("Location")

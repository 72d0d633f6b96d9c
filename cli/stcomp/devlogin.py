"""An access token for a development user of the local identity provider.

Used by ``stcomp check`` to call protected routes the way a browser login would: the
authorization code flow with PKCE through the provider's login form, as its public client.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from urllib.parse import parse_qs, urlsplit

PUBLIC_CLIENT = "stcomp-local-spa"
DEFAULT_AUDIENCE = "https://stcomp.local/api"
SCOPE = "openid profile email read:messages"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class LoginFailed(Exception):
    pass


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def access_token(
    idp_url: str, user: str, redirect_uri: str, audience: str = DEFAULT_AUDIENCE
) -> str:
    """Log ``user`` in on the provider's login page and return the access token."""
    import requests

    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(12)
    params = {
        "response_type": "code",
        "client_id": PUBLIC_CLIENT,
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "audience": audience,
        "state": state,
        "nonce": secrets.token_urlsafe(12),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    with requests.Session() as session:
        page = session.get(f"{idp_url}/authorize", params=params, timeout=10)
        found = _CSRF.search(page.text)
        if page.status_code != 200 or found is None:
            raise LoginFailed(f"the login page answered {page.status_code}")
        form = {"csrf_token": html.unescape(found.group(1)), "user": user}
        answer = session.post(page.url, data=form, allow_redirects=False, timeout=10)
    query = parse_qs(urlsplit(answer.headers.get("Location", "")).query)
    if answer.status_code != 302 or query.get("state") != [state] or "code" not in query:
        raise LoginFailed(f"logging in as {user} gave {answer.status_code} {query.get('error')}")
    token = requests.post(
        f"{idp_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": PUBLIC_CLIENT,
        },
        timeout=10,
    )
    if token.status_code != 200:
        raise LoginFailed(f"the token endpoint answered {token.status_code}")
    value: str = token.json()["access_token"]
    return value

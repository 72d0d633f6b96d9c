"""``/userinfo`` accepts the provider's access token, as Auth0's does."""

from __future__ import annotations

from typing import Any

import requests
from forged_tokens import TokenForge
from idp_service import Idp
from oauth_login import get_tokens

from server.shared.reference import READ_MESSAGES


def userinfo(idp: Idp, token: str) -> requests.Response:
    return requests.get(
        f"{idp.url}/userinfo", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def test_userinfo_with_alices_access_token(idp: Idp, alice_tokens: dict[str, Any]) -> None:
    response = userinfo(idp, alice_tokens["access_token"])
    assert response.status_code == 200, response.text
    assert response.json() == {
        "sub": "auth0|alice",
        "name": "Alice Example",
        "nickname": "alice",
        "email": "alice@example.com",
        "email_verified": True,
    }


def test_userinfo_with_bobs_access_token(idp: Idp, bob_tokens: dict[str, Any]) -> None:
    response = userinfo(idp, bob_tokens["access_token"])
    assert response.status_code == 200
    assert response.json()["email"] == "bob@example.com"


def test_userinfo_claims_follow_the_scope(idp: Idp) -> None:
    tokens = get_tokens(idp.request(scope="openid email"), "alice", idp.client_secret)
    body = userinfo(idp, tokens["access_token"]).json()
    assert body == {"sub": "auth0|alice", "email": "alice@example.com", "email_verified": True}


def test_userinfo_refuses_tokens_without_openid(idp: Idp) -> None:
    tokens = get_tokens(idp.request(scope=READ_MESSAGES), "alice", idp.client_secret)
    assert userinfo(idp, tokens["access_token"]).status_code in (401, 403)


def test_userinfo_refuses_bad_tokens(idp: Idp, forge: TokenForge) -> None:
    for token in (forge.tampered(), forge.unknown_kid(), forge.alg_none(), "garbage"):
        assert userinfo(idp, token).status_code == 401
    assert requests.get(f"{idp.url}/userinfo", timeout=5).status_code == 401

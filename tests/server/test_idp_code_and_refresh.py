"""Authorization codes are redeemed once, atomically, and a replay revokes what they gave;
refresh tokens (``offline_access``) rotate, and reusing a spent one revokes the whole family."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
from idp_service import Idp
from oauth_login import (
    CONFIDENTIAL_CLIENT,
    PUBLIC_CLIENT,
    SCOPE,
    AuthorizationRequest,
    log_in,
    redeem,
)

PARALLEL = 16


def new_code(idp: Idp, client_id: str = CONFIDENTIAL_CLIENT, scope: str = SCOPE) -> tuple:
    req = idp.request(client_id, scope=scope)
    with requests.Session() as session:
        return req, log_in(session, req, "alice")


def secret_of(idp: Idp, client_id: str) -> str | None:
    return idp.client_secret if client_id == CONFIDENTIAL_CLIENT else None


def refresh(
    req: AuthorizationRequest, token: str, secret: str | None, **extra: str
) -> requests.Response:
    form = {"grant_type": "refresh_token", "refresh_token": token, **extra}
    auth = (req.client_id, secret) if secret else None
    if secret is None:
        form["client_id"] = req.client_id
    return requests.post(f"{req.idp_url}/oauth/token", data=form, auth=auth, timeout=10)


def userinfo(idp: Idp, access_token: str) -> int:
    headers = {"Authorization": f"Bearer {access_token}"}
    return requests.get(f"{idp.url}/userinfo", headers=headers, timeout=5).status_code


def race(count: int, call: Any) -> list[requests.Response]:
    """Run ``call`` in ``count`` threads released together; return their responses."""
    barrier = threading.Barrier(count)
    results: list[requests.Response] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        response = call()
        with lock:
            results.append(response)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == count
    return results


@pytest.mark.parametrize("client_id", [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT])
def test_sixteen_concurrent_exchanges_of_one_code_give_one_token_set(
    idp: Idp, client_id: str
) -> None:
    req, code = new_code(idp, client_id, f"{SCOPE} offline_access")
    results = race(PARALLEL, lambda: redeem(req, code, secret_of(idp, client_id)))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [400] * (PARALLEL - 1), statuses
    assert all(r.json()["error"] == "invalid_grant" for r in results if r.status_code == 400)
    # The losers were replays: what the winner got is revoked.
    winner = next(r.json() for r in results if r.status_code == 200)
    assert userinfo(idp, winner["access_token"]) == 401
    assert refresh(req, winner["refresh_token"], secret_of(idp, client_id)).status_code == 400


@pytest.mark.parametrize("client_id", [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT])
def test_a_replayed_code_revokes_the_tokens_of_the_first_redemption(
    idp: Idp, client_id: str
) -> None:
    req, code = new_code(idp, client_id, f"{SCOPE} offline_access")
    secret = secret_of(idp, client_id)
    first = redeem(req, code, secret)
    assert first.status_code == 200
    tokens = first.json()
    assert userinfo(idp, tokens["access_token"]) == 200
    replay = redeem(req, code, secret)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert userinfo(idp, tokens["access_token"]) == 401
    assert refresh(req, tokens["refresh_token"], secret).status_code == 400


#: Failed redemptions that must spend the code all the same.
FAILED_REDEMPTIONS = {
    "wrong_verifier": lambda idp, req, code: redeem(
        req, code, idp.client_secret, verifier="x" * 64
    ),
    "short_verifier": lambda idp, req, code: redeem(req, code, idp.client_secret, verifier="x"),
    "no_verifier": lambda idp, req, code: redeem(req, code, idp.client_secret, verifier=""),
    "wrong_secret": lambda idp, req, code: redeem(req, code, "not-the-secret"),
    "no_secret": lambda idp, req, code: redeem(req, code, None),
    "other_client": lambda idp, req, code: redeem(
        AuthorizationRequest(req.idp_url, PUBLIC_CLIENT, req.redirect_uri, verifier=req.verifier),
        code,
        None,
    ),
    "wrong_redirect_uri": lambda idp, req, code: redeem(
        AuthorizationRequest(
            req.idp_url, req.client_id, req.redirect_uri + "x", verifier=req.verifier
        ),
        code,
        idp.client_secret,
    ),
}


@pytest.mark.parametrize("failure", sorted(FAILED_REDEMPTIONS))
def test_a_failed_redemption_spends_the_code(idp: Idp, failure: str) -> None:
    req, code = new_code(idp)
    assert FAILED_REDEMPTIONS[failure](idp, req, code).status_code in (400, 401)
    again = redeem(req, code, idp.client_secret)
    assert again.status_code == 400, again.text
    assert again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("client_id", [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT])
def test_offline_access_gives_a_refresh_token_that_rotates(idp: Idp, client_id: str) -> None:
    req, code = new_code(idp, client_id, f"{SCOPE} offline_access")
    secret = secret_of(idp, client_id)
    tokens = redeem(req, code, secret).json()
    seen = {tokens["refresh_token"]}
    for _ in range(5):
        response = refresh(req, tokens["refresh_token"], secret)
        assert response.status_code == 200, response.text
        tokens = response.json()
        assert tokens["refresh_token"] not in seen
        seen.add(tokens["refresh_token"])
        assert userinfo(idp, tokens["access_token"]) == 200
    assert "read:messages" in tokens["scope"].split()


@pytest.mark.parametrize("scope", [SCOPE, "openid", "openid profile email"])
def test_no_offline_access_no_refresh_token(idp: Idp, scope: str) -> None:
    req, code = new_code(idp, scope=scope)
    assert "refresh_token" not in redeem(req, code, idp.client_secret).json()


@pytest.mark.parametrize("reused", [0, 1, 3])
def test_reusing_a_spent_refresh_token_revokes_the_family(idp: Idp, reused: int) -> None:
    """Rotate four times, then present the ``reused``-th (spent) token: the newest refresh token
    and the newest access token are revoked along with every other."""
    req, code = new_code(idp, scope=f"{SCOPE} offline_access")
    tokens = [redeem(req, code, idp.client_secret).json()]
    for _ in range(4):
        tokens.append(refresh(req, tokens[-1]["refresh_token"], idp.client_secret).json())
    assert userinfo(idp, tokens[-1]["access_token"]) == 200
    reuse = refresh(req, tokens[reused]["refresh_token"], idp.client_secret)
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    assert refresh(req, tokens[-1]["refresh_token"], idp.client_secret).status_code == 400
    assert all(userinfo(idp, t["access_token"]) == 401 for t in tokens)


def test_concurrent_uses_of_one_refresh_token_count_as_reuse(idp: Idp) -> None:
    req, code = new_code(idp, scope=f"{SCOPE} offline_access")
    first = redeem(req, code, idp.client_secret).json()
    results = race(PARALLEL, lambda: refresh(req, first["refresh_token"], idp.client_secret))
    ok = [r.json() for r in results if r.status_code == 200]
    assert len(ok) == 1, [r.status_code for r in results]
    assert refresh(req, ok[0]["refresh_token"], idp.client_secret).status_code == 400


@pytest.mark.parametrize(
    "bad",
    [
        {"refresh_token": "not-a-refresh-token"},
        {"refresh_token": ""},
        {"scope": "openid admin"},
    ],
    ids=["unknown", "empty", "wider_scope"],
)
def test_bad_refresh_requests_are_refused(idp: Idp, bad: dict[str, str]) -> None:
    req, code = new_code(idp, scope=f"{SCOPE} offline_access")
    tokens = redeem(req, code, idp.client_secret).json()
    extra = {k: v for k, v in bad.items() if k != "refresh_token"}
    token = bad.get("refresh_token", tokens["refresh_token"])
    response = refresh(req, token, idp.client_secret, **extra)
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_another_client_cannot_use_the_refresh_token(idp: Idp) -> None:
    req, code = new_code(idp, scope=f"{SCOPE} offline_access")
    tokens = redeem(req, code, idp.client_secret).json()
    public = idp.request(PUBLIC_CLIENT)
    assert refresh(public, tokens["refresh_token"], None).status_code == 400


def test_discovery_advertises_refresh_tokens(idp: Idp) -> None:
    doc = requests.get(f"{idp.url}/.well-known/openid-configuration", timeout=5).json()
    assert "refresh_token" in doc["grant_types_supported"]
    assert "offline_access" in doc["scopes_supported"]

"""Every bad token or header is a JSON 401 (a missing scope a 403): never a 200 or a 500."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
import requests
from forged_tokens import TokenForge
from server_processes import Service

from server.shared.reference import READ_MESSAGES

BAD_TOKENS: dict[str, Callable[[TokenForge], str]] = {
    "alg_none": lambda f: f.alg_none(),
    "hs256_with_public_key": lambda f: f.hs256_with_public_key(),
    "expired": lambda f: f.valid(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    "not_yet_valid": lambda f: f.valid(nbf=int(time.time()) + 3600),
    "wrong_audience": lambda f: f.valid(aud="https://someone-else.example/api"),
    "wrong_issuer": lambda f: f.valid(iss="https://evil.example/"),
    "issuer_without_trailing_slash": lambda f: f.valid(iss=f.issuer.rstrip("/")),
    "unknown_kid": lambda f: f.unknown_kid(),
    "tampered_signature": lambda f: f.tampered(),
    "missing_exp": lambda f: f.valid(exp=None),
    "not_a_jwt": lambda f: "definitely-not-a-jwt",
    # RFC 9068: an access token says so in its header (an ID token or a plain JWT does not).
    "typ_JWT": lambda f: f.signed(f.claims(), typ="JWT"),
    "typ_missing": lambda f: f.signed(f.claims(), typ=None),
    "typ_id_token": lambda f: f.signed(f.claims(), typ="id_token+jwt"),
    "typ_empty": lambda f: f.signed(f.claims(), typ=""),
    # Lifetime (exp - iat) above API_MAX_TOKEN_LIFETIME (default 86400 s, Auth0's default).
    "lifetime_two_days": lambda f: f.valid(exp=int(time.time()) + 2 * 86400),
    "lifetime_a_year": lambda f: f.valid(
        iat=int(time.time()) - 3600, exp=int(time.time()) + 365 * 86400
    ),
}

BAD_HEADERS: dict[str, dict[str, str]] = {
    "missing": {},
    "bearer_without_token": {"Authorization": "Bearer"},
    "basic_scheme": {"Authorization": "Basic x"},
    "two_segment_token": {"Authorization": "Bearer a.b"},
    "extra_parts": {"Authorization": "Bearer a b"},
}

PROTECTED = ["/api/pong", "/api/pong-scoped"]


def assert_json_401(response: requests.Response) -> None:
    assert response.status_code == 401, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"code", "description"}
    assert body["code"] and body["description"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_forged_valid_token_is_accepted(api: Service, forge: TokenForge) -> None:
    """Control case: the forge's good token passes, so each bad case fails for its own reason."""
    response = requests.get(
        f"{api.url}/api/pong-scoped",
        headers={"Authorization": f"Bearer {forge.valid()}"},
        timeout=5,
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_token_is_401(api: Service, forge: TokenForge, case: str, path: str) -> None:
    token = BAD_TOKENS[case](forge)
    response = requests.get(
        f"{api.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert_json_401(response)


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_bad_authorization_header_is_401(api: Service, case: str, path: str) -> None:
    response = requests.get(f"{api.url}{path}", headers=BAD_HEADERS[case], timeout=5)
    assert_json_401(response)


def test_missing_scope_is_403(api: Service, forge: TokenForge) -> None:
    token = forge.valid(scope="openid profile", permissions=[])
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{api.url}/api/pong", headers=headers, timeout=5).status_code == 200
    response = requests.get(f"{api.url}/api/pong-scoped", headers=headers, timeout=5)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_permissions_claim_alone_does_not_grant_the_scope(api: Service, forge: TokenForge) -> None:
    token = forge.valid(scope="openid", permissions=[READ_MESSAGES])
    response = requests.get(
        f"{api.url}/api/pong-scoped", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert response.status_code == 403


@pytest.mark.parametrize("typ", ["at+jwt", "AT+JWT", "application/at+jwt"])
def test_access_token_types_are_accepted(api: Service, forge: TokenForge, typ: str) -> None:
    response = requests.get(
        f"{api.url}/api/pong",
        headers={"Authorization": f"Bearer {forge.signed(forge.claims(), typ=typ)}"},
        timeout=5,
    )
    assert response.status_code == 200, response.text


#: Values that are not an RFC 7519 NumericDate (PyJWT takes anything int() accepts).
NOT_DATES = ['"{now}"', '"{later}"', "true", "false", "null", "[{later}]", '{{"t": {later}}}']
NOT_DATES_RAW = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 400]


@pytest.mark.parametrize("claim", ["iat", "exp", "nbf"])
@pytest.mark.parametrize("value", NOT_DATES + NOT_DATES_RAW)
def test_dates_that_are_not_numbers_are_401(
    api: Service, forge: TokenForge, claim: str, value: str
) -> None:
    now = int(time.time())
    claims = forge.claims()
    claims.pop(claim, None)
    text = json.dumps(claims)[:-1] + f', "{claim}": ' + value.format(now=now, later=now + 60) + "}"
    token = forge.signed_json(text)
    response = requests.get(
        f"{api.url}/api/pong-scoped", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert_json_401(response)


ODD_JSON_VALUES = ["123", "true", "null", "[]", "{}", '[""]', '""', '"\\u0000"', "[[1]]", "1e400"]


@pytest.mark.parametrize("claim", ["iss", "sub", "aud", "scope", "permissions", "azp", "jti"])
@pytest.mark.parametrize("value", ODD_JSON_VALUES)
def test_odd_claim_types_are_never_a_500(
    api: Service, forge: TokenForge, claim: str, value: str
) -> None:
    claims = forge.claims()
    claims.pop(claim, None)
    token = forge.signed_json(json.dumps(claims)[:-1] + f', "{claim}": {value}' + "}")
    for path in PROTECTED:
        response = requests.get(
            f"{api.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert response.status_code in (200, 401, 403), (response.status_code, response.text)
        assert response.headers["Content-Type"].startswith("application/json")

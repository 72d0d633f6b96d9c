"""Malformed input never makes either service answer 500: generated odd characters and bytes in
headers, credentials, paths, query strings and forms, sent byte by byte to the running services.

Every answer is a 4xx; error answers of JSON endpoints are JSON (the OAuth format at the
provider). The login form and the logout page are HTML pages for people and stay HTML.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote_from_bytes, urlsplit

import pytest
import requests
from idp_service import Idp
from oauth_login import csrf_token, open_authorize
from raw_http import RawResponse, form, raw_request
from server_processes import Service

from server.shared.reference import CLIENT_ID, SPA_CLIENT_ID

#: Characters that broke or could break parsing: C0 controls, DEL, C1 controls, Unicode spaces
#: and separators, BOM, a lone surrogate's UTF-8-ish bytes are covered by ODD_BYTES.
ODD_CHARS = [
    *(chr(c) for c in (0x00, 0x01, 0x07, 0x08, 0x09, 0x0B, 0x0C, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F)),
    "\x7f",
    "\x85",
    "\xa0",
    "\u1680",
    "\u2000",
    "\u200b",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u3000",
    "\ufeff",
    "\ufffd",
    "\U0001f600",
]
#: Bytes that are not UTF-8 at all.
ODD_BYTES = [b"\xff", b"\xfe\xff", b"\xc0\x80", b"\xed\xa0\x80", b"\x80", b"\xc3"]


def utf8(ch: str) -> bytes:
    return ch.encode("utf-8", "surrogatepass")


#: Header values (neither CR nor LF: those end the header itself).
ODD_HEADER_VALUES: list[bytes] = (
    [
        v
        for ch in ODD_CHARS
        for v in (utf8(ch), utf8(ch) * 3, b"Bearer " + utf8(ch), utf8(ch) + b"Bearer x")
    ]
    + [b"Bearer " + b for b in ODD_BYTES]
    + [b"Bearer x" + utf8(ch) + b"y" for ch in ODD_CHARS]
)

#: Percent-encoded values for query strings and forms, CR and LF included.
ODD_VALUES: list[bytes] = [
    quote_from_bytes(v, safe="").encode()
    for v in [*(utf8(ch) for ch in ODD_CHARS), *ODD_BYTES, b"\r\n", b"\r", b"\n", b"a\r\nX: y"]
] + [b"%", b"%zz", b"%e2%80", b"x" * 5000]

#: Basic credentials: empty, not base64, base64 of non-UTF-8, of odd characters, missing parts.
BASIC_PAYLOADS: list[bytes] = (
    [b"", b"=", b"!!!", b"\xff", b"\xc2\xa0", b"Og==", b"YQ==", b"OmI=", b"YTo="]
    + [base64.b64encode(raw) for raw in ODD_BYTES]
    + [base64.b64encode(b + b":" + b) for b in ODD_BYTES]
    + [base64.b64encode(utf8(ch) + b":" + utf8(ch)) for ch in ODD_CHARS]
    + [base64.b64encode(b"%ff:%ff"), base64.b64encode(CLIENT_ID.encode() + b":%zz")]
)


def ids(values: list[bytes]) -> list[str]:
    return [repr(v)[:40] for v in values]


def assert_client_error(response: RawResponse, json_body: bool = True) -> None:
    assert 400 <= response.status < 500, (response.status, response.body[:300])
    if json_body:
        assert response.is_json, response.headers
        response.json()


@pytest.mark.parametrize("value", ODD_HEADER_VALUES, ids=ids(ODD_HEADER_VALUES))
def test_api_odd_authorization_header_is_401_json(api: Service, value: bytes) -> None:
    response = raw_request(api.url, "GET", b"/api/pong-scoped", [(b"Authorization", value)])
    assert response.status in (400, 401), (response.status, response.body[:300])
    if response.status == 401:
        body = response.json()
        assert set(body) == {"code", "description"}
        assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("value", ODD_HEADER_VALUES[::3], ids=ids(ODD_HEADER_VALUES[::3]))
def test_userinfo_odd_authorization_header_is_4xx(idp: Idp, value: bytes) -> None:
    response = raw_request(idp.url, "GET", b"/userinfo", [(b"Authorization", value)])
    assert 400 <= response.status < 500, (response.status, response.body[:300])


@pytest.mark.parametrize("payload", BASIC_PAYLOADS, ids=ids(BASIC_PAYLOADS))
def test_token_endpoint_malformed_basic_credential_is_invalid_client(
    idp: Idp, payload: bytes
) -> None:
    response = raw_request(
        idp.url,
        "POST",
        b"/oauth/token",
        [
            (b"Authorization", b"Basic " + payload),
            (b"Content-Type", b"application/x-www-form-urlencoded"),
        ],
        form(grant_type=b"authorization_code", code=b"x" * 43, redirect_uri=b"x"),
    )
    assert_client_error(response)
    assert response.json()["error"] == "invalid_client"


TOKEN_FIELDS = [
    "grant_type",
    "code",
    "redirect_uri",
    "code_verifier",
    "client_id",
    "refresh_token",
    "scope",
]


@pytest.mark.parametrize("field", TOKEN_FIELDS)
def test_token_endpoint_odd_form_values_are_oauth_errors(idp: Idp, field: str) -> None:
    base = {
        "grant_type": b"authorization_code",
        "code": b"c" * 43,
        "redirect_uri": idp.callback.encode(),
        "code_verifier": b"v" * 43,
        "client_id": SPA_CLIENT_ID.encode(),
    }
    for value in ODD_VALUES[::2]:
        response = raw_request(
            idp.url,
            "POST",
            b"/oauth/token",
            [(b"Content-Type", b"application/x-www-form-urlencoded")],
            form(**(base | {field: value})),
        )
        assert_client_error(response)
        assert "error" in response.json(), value


# Bodies stay under 8 KB: Werkzeug's development server keeps the connection open after its
# answer when the app left a longer non-form body unread (the answer itself is immediate).
@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\xfd", b"grant_type=\xff", b"%", b"&&&==", b"a" * 4000, b'{"grant_type":1}'],
    ids=["binary", "raw-byte", "lone-percent", "empty-pairs", "long", "json"],
)
@pytest.mark.parametrize(
    "content_type", [b"application/x-www-form-urlencoded", b"application/json", b"text/plain\xff"]
)
def test_token_endpoint_odd_bodies_are_oauth_errors(
    idp: Idp, body: bytes, content_type: bytes
) -> None:
    response = raw_request(
        idp.url, "POST", b"/oauth/token", [(b"Content-Type", content_type)], body
    )
    assert_client_error(response)


AUTHORIZE_FIELDS = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "audience",
    "prompt",
    "max_age",
    "response_mode",
]


@pytest.mark.parametrize("field", AUTHORIZE_FIELDS)
def test_authorize_odd_query_values_are_never_500(idp: Idp, field: str) -> None:
    base = {
        "response_type": b"code",
        "client_id": SPA_CLIENT_ID.encode(),
        "redirect_uri": quote_from_bytes(idp.callback.encode(), safe="").encode(),
        "scope": b"openid",
        "code_challenge": b"c" * 43,
        "code_challenge_method": b"S256",
    }
    for value in ODD_VALUES[1::2]:
        query = form(**(base | {field: value}))
        response = raw_request(idp.url, "GET", b"/authorize?" + query)
        # A valid request shows the login form (200); a bad one is a 4xx or a redirect with an
        # error to the registered redirect URI.
        assert response.status in (200, 302) or 400 <= response.status < 500, (
            value,
            response.status,
            response.body[:300],
        )
        assert "\r" not in response.headers.get("location", "")


@pytest.mark.parametrize(
    ("endpoint", "param"),
    [(b"/v2/logout", b"returnTo"), (b"/oidc/logout", b"post_logout_redirect_uri")],
)
@pytest.mark.parametrize("value", ODD_VALUES, ids=ids(ODD_VALUES))
def test_logout_return_to_with_odd_characters_is_refused(
    idp: Idp, value: bytes, endpoint: bytes, param: bytes
) -> None:
    allowed = quote_from_bytes(f"http://localhost:{idp.component_port}".encode(), safe="")
    for return_to in (allowed.encode() + value, value + allowed.encode()):
        target = endpoint + b"?client_id=" + CLIENT_ID.encode() + b"&" + param + b"=" + return_to
        response = raw_request(idp.url, "GET", target)
        assert response.status == 400, (return_to, response.status, response.body[:300])
        assert "location" not in response.headers


@pytest.mark.parametrize("value", ODD_VALUES[::2], ids=ids(ODD_VALUES[::2]))
def test_unknown_paths_are_404_json_in_both_services(idp: Idp, api: Service, value: bytes) -> None:
    for service_url in (idp.url, api.url):
        response = raw_request(service_url, "GET", b"/nowhere/" + value)
        assert response.status == 404, (service_url, response.status)
        assert response.is_json


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "path",
    [b"/authorize", b"/oauth/token", b"/v2/logout", b"/oidc/logout", b"/.well-known/jwks.json"],
)
def test_provider_wrong_methods_are_405_json(idp: Idp, method: str, path: bytes) -> None:
    response = raw_request(idp.url, method, path, body=b"")
    assert response.status == 405
    assert response.is_json


@pytest.mark.parametrize("field", ["user", "username", "password", "csrf_token"])
def test_login_form_odd_values_are_never_500(idp_factory: Callable[..., Idp], field: str) -> None:
    idp = idp_factory(IDP_LOGIN_MAX_FAILURES="1000")
    with requests.Session() as session:
        page = open_authorize(session, idp.request())
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        fields = {
            "csrf_token": csrf_token(page.text).encode(),
            "username": b"alice",
            "password": b"wrong",
        }
        target = urlsplit(page.url)
        for value in ODD_VALUES[::2]:
            response = raw_request(
                idp.url,
                "POST",
                f"{target.path}?{target.query}".encode(),
                [
                    (b"Content-Type", b"application/x-www-form-urlencoded"),
                    (b"Cookie", cookie.encode()),
                ],
                form(**(fields | {field: value})),
            )
            assert response.status in (302, 400, 401), (value, response.status)

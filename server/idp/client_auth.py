"""``client_secret_basic`` that refuses a malformed credential instead of failing on it.

Authlib's own parser decodes the base64 credential as UTF-8 without catching the error, so an
empty or non-UTF-8 ``Basic`` credential became a 500. Here any credential that is not
``base64(urlencoded(id) ":" urlencoded(secret))`` in UTF-8 authenticates no one, and the token
endpoint answers ``invalid_client`` (401).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from server.idp.clients import Client


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``(client_id, client_secret)`` of a well-formed ``Basic`` header, else ``None``."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
        client_id, sep, secret = decoded.partition(":")
        client_id, secret = unquote(client_id, errors="strict"), unquote(secret, errors="strict")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return None
    if not sep or not client_id or not secret:
        return None
    return client_id, secret


def authenticate_client_secret_basic(
    query_client: Callable[[str], Client | None], request: Any
) -> Client | None:
    credentials = basic_credentials(request.headers.get("Authorization"))
    if credentials is None:
        return None
    client = query_client(credentials[0])
    if client is None or not client.check_client_secret(credentials[1]):
        return None
    return client

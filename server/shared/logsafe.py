"""Log lines that cannot be forged or leak secrets: control characters escaped, request secrets
redacted, unexpected exceptions summarised on one line."""

from __future__ import annotations

import base64
import binascii
import logging
import traceback
from collections.abc import Iterable

from flask import request

#: Form and query fields whose values are secrets (OAuth codes, verifiers, passwords, tokens).
SECRET_FIELDS = frozenset(
    {
        "access_token",
        "client_secret",
        "code",
        "code_verifier",
        "csrf_token",
        "id_token",
        "password",
        "refresh_token",
        "token",
    }
)
REDACTED = "[redacted]"
#: Shorter values are not worth redacting (and would blank out ordinary words).
MIN_SECRET_LENGTH = 4
#: Frames of an unexpected exception's traceback kept in its log line (innermost last).
TRACEBACK_FRAMES = 6


def escape_controls(text: str) -> str:
    """``text`` with every non-printable character (CR, LF, ESC, U+0085, U+2028...) escaped as
    ``\\xNN``/``\\uNNNN``, so that a request value can never start a new log line."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


class EscapeControlCharacters(logging.Filter):
    """Handler filter: the formatted message of every record, escaped (see :func:`escape_controls`).

    The traceback of ``exc_info`` is left alone; :func:`log_unexpected` does not use it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_controls(message)
        if escaped != message or record.args:
            record.msg, record.args = escaped, None
        return True


def _basic_parts(value: str) -> list[str]:
    """The base64 token of a ``Basic`` credential and its decoded user and password."""
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return []
    parts = [token.strip()]
    try:
        decoded = base64.b64decode(token.strip(), validate=False).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return parts
    return [*parts, decoded, *decoded.split(":", 1)]


def request_secrets() -> list[str]:
    """Every secret the current request carries: Authorization and Cookie values, each cookie,
    and the values of :data:`SECRET_FIELDS` in the query string or form."""
    found: list[str] = []
    authorization = request.headers.get("Authorization", "")
    if authorization:
        found += [authorization, *authorization.split(), *_basic_parts(authorization)]
    cookie_header = request.headers.get("Cookie", "")
    if cookie_header:
        found.append(cookie_header)
        found += list(request.cookies.values())
    for field in SECRET_FIELDS:
        found += request.args.getlist(field)
        found += request.form.getlist(field)
    # Longest first, so that a secret containing another is redacted whole.
    return sorted({s for s in found if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def _frames(error: BaseException) -> str:
    summary = traceback.extract_tb(error.__traceback__)[-TRACEBACK_FRAMES:]
    return " <- ".join(
        f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} {frame.name}"
        for frame in reversed(summary)
    )


def log_unexpected(logger: logging.Logger, error: BaseException) -> None:
    """Log an unhandled exception on one line: its class, its message with the request's secrets
    redacted, and where it was raised. Never the headers, cookies, form or query string."""
    try:
        message = redact(str(error), request_secrets())
    except Exception:  # the request itself may be what is malformed
        message = "(message withheld: the request could not be parsed to redact it)"
    logger.error(
        "unhandled %s.%s on %s %s: %s [at %s]",
        type(error).__module__,
        type(error).__qualname__,
        request.method,
        request.path,
        message,
        _frames(error),
    )

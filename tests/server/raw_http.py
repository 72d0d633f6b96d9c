"""HTTP/1.1 requests written byte by byte: headers and paths that ``requests`` refuses to send."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def is_json(self) -> bool:
        return self.headers.get("content-type", "").startswith("application/json")


def raw_request(
    base_url: str,
    method: str,
    target: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes | None = None,
) -> RawResponse:
    """Send one request on a fresh connection, exactly as given; read the whole answer."""
    port = urlsplit(base_url).port
    assert port is not None
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: localhost"]
    lines += [name + b": " + value for name, value in headers or []]
    if body is not None:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    lines.append(b"Connection: close")
    payload = b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, content = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    return RawResponse(int(status_line.split()[1]), parsed, content)


def form(**fields: bytes) -> bytes:
    """An urlencoded body from already-encoded values (so that any byte can be sent)."""
    return b"&".join(name.encode() + b"=" + value for name, value in fields.items())

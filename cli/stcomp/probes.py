"""Readiness probes: how stcomp notices that a service is ready. One quick attempt each; the
supervisor repeats them.

Each kind is one class here: it parses its own spelling in a stack definition, describes itself
for tables, and makes one attempt. To add a kind, write a class with those three and add it to
``KINDS``: nothing else changes.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import ClassVar, Protocol

HOST = "127.0.0.1"


class Probe(Protocol):
    kind: ClassVar[str]
    needs_port: ClassVar[bool]

    def check(self, port: int | None, *, timeout: float, since: float = 0.0) -> bool: ...


@dataclass(frozen=True)
class HttpProbe:
    """GET ``path`` answers with a status below 400. Spelled ``http:/path`` or ``GET /path``."""

    path: str = "/"
    kind: ClassVar[str] = "http"
    needs_port: ClassVar[bool] = True

    @classmethod
    def parse(cls, text: str) -> HttpProbe | None:
        for prefix in ("http:", "GET "):
            if text.startswith(prefix) and text[len(prefix) :].startswith("/"):
                return cls(text[len(prefix) :])
        return None

    def check(self, port: int | None, *, timeout: float, since: float = 0.0) -> bool:
        """A refused connection answers at once; one that connects may wait up to ``timeout``
        for the answer, because a dev server compiles the page before it answers."""
        assert port is not None
        return http_ok(port, self.path, timeout=timeout)

    def __str__(self) -> str:
        return f"GET {self.path}"


@dataclass(frozen=True)
class TcpProbe:
    """A TCP connection to the port is accepted. Spelled ``tcp``."""

    kind: ClassVar[str] = "tcp"
    needs_port: ClassVar[bool] = True

    @classmethod
    def parse(cls, text: str) -> TcpProbe | None:
        return cls() if text == "tcp" else None

    def check(self, port: int | None, *, timeout: float, since: float = 0.0) -> bool:
        assert port is not None
        return tcp_open(port)

    def __str__(self) -> str:
        return "tcp"


@dataclass(frozen=True)
class NoProbe:
    """Ready as soon as it was started. Spelled ``none``."""

    kind: ClassVar[str] = "none"
    needs_port: ClassVar[bool] = False

    @classmethod
    def parse(cls, text: str) -> NoProbe | None:
        return cls() if text == "none" else None

    def check(self, port: int | None, *, timeout: float, since: float = 0.0) -> bool:
        return True

    def __str__(self) -> str:
        return "none"


@dataclass(frozen=True)
class FileProbe:
    """The file at ``path`` was written since the service started: a build that writes a stamp
    when it has finished is ready then. Spelled ``file:PATH``, relative to the workspace root
    (which the definition's parser makes absolute)."""

    path: str
    kind: ClassVar[str] = "file"
    needs_port: ClassVar[bool] = False

    @classmethod
    def parse(cls, text: str) -> FileProbe | None:
        if text.startswith("file:") and text[len("file:") :].strip():
            return cls(text[len("file:") :].strip())
        return None

    def check(self, port: int | None, *, timeout: float, since: float = 0.0) -> bool:
        try:
            return os.stat(self.path).st_mtime >= since
        except OSError:
            return False

    def __str__(self) -> str:
        return f"file {self.path}"


KINDS: tuple[type[HttpProbe] | type[TcpProbe] | type[NoProbe] | type[FileProbe], ...] = (
    HttpProbe,
    TcpProbe,
    NoProbe,
    FileProbe,
)
SPELLINGS = "'http:/PATH' (or 'GET /PATH'), 'tcp', 'file:PATH' or 'none'"


def parse(text: str) -> Probe | None:
    """The probe a stack definition spells as ``text``; None when no kind knows it."""
    for kind in KINDS:
        probe = kind.parse(text)
        if probe is not None:
            return probe
    return None


def check(probe: Probe, port: int | None, *, timeout: float = 30.0, since: float = 0.0) -> bool:
    """One attempt: is the service ready now? ``since``: when it was started (epoch seconds)."""
    return probe.check(port, timeout=timeout, since=since)


def tcp_open(port: int, host: str = HOST) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_ok(port: int, path: str, *, timeout: float = 30.0, host: str = HOST) -> bool:
    import http.client  # here, not at the top: it pulls in ssl and email, ~20 ms of start-up

    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"User-Agent": "stcomp-probe"})
        return conn.getresponse().status < 400
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()

"""Readiness probes: one quick attempt each; the supervisor repeats them."""

from __future__ import annotations

import http.client
import socket

from .config import Probe

HOST = "127.0.0.1"


def check(probe: Probe, port: int | None, *, timeout: float = 30.0) -> bool:
    """One attempt: is the service ready now?

    A refused connection answers at once; an HTTP request that connects may wait up to
    ``timeout`` for its answer, because a dev server compiles the page before it answers.
    """
    if probe.kind == "none":
        return True
    assert port is not None
    if probe.kind == "tcp":
        return tcp_open(port)
    return http_ok(port, probe.path, timeout=timeout)


def tcp_open(port: int, host: str = HOST) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_ok(port: int, path: str, *, timeout: float = 30.0, host: str = HOST) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"User-Agent": "stcomp-probe"})
        return conn.getresponse().status < 400
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()

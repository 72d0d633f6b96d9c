"""Readiness probes against real sockets on free ports."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from stcomp.ports import free_port, holder, is_taken
from stcomp.probes import HttpProbe, NoProbe, TcpProbe, check


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_http_probe_wants_an_answer_below_400(server: int) -> None:
    assert check(HttpProbe("/ok"), server)
    assert not check(HttpProbe("/missing"), server)


def test_probes_fail_fast_on_a_closed_port() -> None:
    port = free_port()
    assert not check(HttpProbe("/"), port)
    assert not check(TcpProbe(), port)
    assert not is_taken(port)
    assert holder(port) is None


def test_tcp_probe_and_port_holder(server: int) -> None:
    assert check(TcpProbe(), server)
    assert is_taken(server)
    found = holder(server)
    assert found is not None and found.pid is not None
    assert "python" in found.command or "pytest" in found.command


def test_none_probe_is_ready_at_once() -> None:
    assert check(NoProbe(), None)


def test_ipv6_only_listener_counts_as_taken() -> None:
    if not socket.has_ipv6:
        pytest.fail("this machine has no IPv6 loopback; the check below needs one")
    with socket.socket(socket.AF_INET6) as sock:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(("::1", 0))
        sock.listen()
        assert is_taken(sock.getsockname()[1])
